#pragma once

// Which sanitizer a test is built with, in gcc's and clang's spellings. Tests that cap memory
// skip under ASan and TSan (their allocators abort instead of failing); tests that time
// transfers loosen under ASan.

#if defined(__SANITIZE_ADDRESS__)
#define FIREDECK_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FIREDECK_UNDER_ASAN 1
#endif
#endif

#if defined(FIREDECK_UNDER_ASAN) || defined(__SANITIZE_THREAD__)
#define FIREDECK_SANITIZED_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define FIREDECK_SANITIZED_ALLOCATOR 1
#endif
#endif

#pragma once

#include <string>
#include <string_view>

namespace dataset {

//! Follows a JSON text one byte at a time to tell the bytes inside strings (escapes included)
//! from the ones outside, where braces, brackets and commas mean something. Both readers of a
//! JSON array's elements (RecordReader, readRecordAt) find an element's end with it.
class JsonStrings
{
public:
    //! Takes the next byte; true when it lies outside every string (a '"' that opens or
    //! closes one counts as inside).
    bool outside(int c)
    {
        if (m_inString) {
            if (m_escaped)
                m_escaped = false;
            else if (c == '\\')
                m_escaped = true;
            else if (c == '"')
                m_inString = false;
            return false;
        }
        if (c == '"') {
            m_inString = true;
            return false;
        }
        return true;
    }

private:
    bool m_inString = false;
    bool m_escaped = false;
};

//! Appends `text` to `out` as a JSON string literal (quotes included).
void appendJsonString(std::string &out, std::string_view text);

} // namespace dataset

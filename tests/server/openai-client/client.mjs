// Drives Firedeck's local OpenAI-compatible server with the official openai npm client and
// prints what came back as one JSON object; tests/server/tst_openaiclient.cpp checks it.
//   node client.mjs BASE_URL API_KEY MODEL
import OpenAI from 'openai';

const [baseURL, apiKey, model] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60000 });
const out = {};
const messages = [{ role: 'user', content: 'Write a haiku about rivers.' }];

function errorOf(e) {
  return { name: e.constructor.name, status: e.status ?? null, param: e.param ?? null,
           code: e.code ?? null, type: e.type ?? null, message: e.message ?? '' };
}

try {
  const list = await client.models.list();
  out.models = list.data.map((m) => m.id);

  const chat = await client.chat.completions.create(
    { model, messages, max_tokens: 12, temperature: 0 });
  out.chat = { text: chat.choices[0].message.content, role: chat.choices[0].message.role,
               finish: chat.choices[0].finish_reason, usage: chat.usage, object: chat.object };

  const stream = await client.chat.completions.create(
    { model, messages, max_tokens: 12, temperature: 0, stream: true,
      stream_options: { include_usage: true } });
  let text = '';
  let finish = null;
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    ++chunks;
    if (chunk.usage) usage = chunk.usage;
    for (const c of chunk.choices) {
      text += c.delta?.content ?? '';
      if (c.finish_reason) finish = c.finish_reason;
    }
  }
  out.stream = { text, finish, usage, chunks };

  // Token log probabilities, whole and streamed (a stream carries them in its last chunk).
  const withLogprobs = await client.chat.completions.create(
    { model, messages, max_tokens: 5, temperature: 0, logprobs: true, top_logprobs: 2 });
  const lp = withLogprobs.choices[0].logprobs?.content ?? [];
  let streamedLogprobs = 0;
  const lpStream = await client.chat.completions.create(
    { model, messages, max_tokens: 5, temperature: 0, logprobs: true, top_logprobs: 2,
      stream: true });
  for await (const chunk of lpStream)
    for (const c of chunk.choices) streamedLogprobs += c.logprobs?.content?.length ?? 0;
  out.logprobs = { tokens: lp.length, top: lp.map((t) => t.top_logprobs.length),
                   chosenIsTop: lp.every((t) => t.token === t.top_logprobs[0].token),
                   streamed: streamedLogprobs };

  const completion = await client.completions.create(
    { model, prompt: 'Once upon a time', max_tokens: 5, temperature: 0 });
  out.completion = { text: completion.choices[0].text, finish: completion.choices[0].finish_reason,
                     usage: completion.usage };

  try {
    await client.chat.completions.create({ model, messages, temperature: 5 });
    out.badRequest = null;
  } catch (e) { out.badRequest = errorOf(e); }

  // What the local server does not do (several choices, tool calls) is refused by name.
  try {
    await client.chat.completions.create({ model, messages, n: 2 });
    out.severalChoices = null;
  } catch (e) { out.severalChoices = errorOf(e); }
  try {
    await client.chat.completions.create(
      { model, messages,
        tools: [{ type: 'function',
                  function: { name: 'now', parameters: { type: 'object', properties: {} } } }] });
    out.tools = null;
  } catch (e) { out.tools = errorOf(e); }

  try {
    await client.chat.completions.create({ model: 'no-such-model', messages });
    out.unknownModel = null;
  } catch (e) { out.unknownModel = errorOf(e); }

  const wrongKey = new OpenAI({ baseURL, apiKey: apiKey + '-wrong', maxRetries: 0 });
  try {
    await wrongKey.models.list();
    out.wrongKey = null;
  } catch (e) { out.wrongKey = errorOf(e); }
} catch (e) {
  out.unexpected = errorOf(e);
}
process.stdout.write(JSON.stringify(out) + '\n');

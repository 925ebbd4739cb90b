// End-to-end: a local GGUF model (../shared/models/stories260K.gguf) served in-process by
// the real `switchboard serve`, driven by the official `openai` npm client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import OpenAI from 'openai';
import { BIN, startGatewayOn } from './gateway_process.mjs';

const KEY = 'sk-e2e-local-key';
const MODEL_PATH = path.resolve(process.env.SB_SOURCE_DIR ?? '.', '..', 'shared', 'models', 'stories260K.gguf');
let gateway, client;

before(async () => {
  assert.ok(BIN, 'SWITCHBOARD_BIN must name the switchboard binary');
  // stories260K has no chat template of its own; llama2's [INST] ... [/INST] makes it tell a story.
  const config = `
server:
  listen: 127.0.0.1:8080
local_models:
  - name: stories
    path: ${MODEL_PATH}
    context: 512
    parallel: 4
    threads: 2
    chat_template: llama2
routes:
  - model: auto
    local: [stories]
teams:
  - name: e2e
    keys: [${KEY}]
`;
  gateway = await startGatewayOn(config);
  client = new OpenAI({ apiKey: KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});

after(() => {
  gateway?.stop();
});

const story = [{ role: 'user', content: 'Tell me a story.' }];

async function streamText(request) {
  const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
  const out = { text: '', finish: null, usage: null, roles: [], chunks: 0 };
  for await (const chunk of stream) {
    out.chunks++;
    if (chunk.usage) out.usage = chunk.usage;
    if (!chunk.choices.length) continue;
    const { delta, finish_reason } = chunk.choices[0];
    if (delta.role) out.roles.push(out.chunks);
    out.text += delta.content ?? '';
    out.finish = finish_reason ?? out.finish;
  }
  return out;
}

test('start-up logs the local model loading', () => {
  assert.match(gateway.stderr(), /loading local model 'stories' from .*stories260K\.gguf/);
  assert.match(gateway.stderr(), /local model 'stories' ready in \d+ ms: 5 layers, .*chat template llama2/);
});

test('the local model tells a story, whole', async () => {
  // Default sampling (temperature 1), seeded so that the story, and the test, are the same every run.
  const { data, response } = await client.chat.completions
    .create({ model: 'stories', messages: story, max_tokens: 64, seed: 42 })
    .withResponse();
  const text = data.choices[0].message.content;
  assert.match(text, /\b(the|a|and|was|he|she)\b/, text);
  assert.equal(data.choices[0].finish_reason, 'length');
  assert.equal(data.usage.completion_tokens, 64);
  assert.equal(data.usage.prompt_tokens, 26);  // BOS + "[INST] Tell me a story. [/INST]"
  assert.equal(data.usage.total_tokens, 90);
  assert.equal(response.headers.get('x-switchboard-target'), 'stories');
});

test('the local model tells a story, streamed, with usage', async () => {
  const out = await streamText({ model: 'auto', messages: story, max_tokens: 64, temperature: 0 });
  assert.match(out.text, /\b(the|a|and|was|he|she)\b/, out.text);
  assert.deepEqual(out.roles, [1], 'the role comes once, in the first chunk');
  assert.ok(out.chunks > 10, `expected a chunk per token, got ${out.chunks}`);
  assert.equal(out.finish, 'length');
  assert.deepEqual({ p: out.usage.prompt_tokens, c: out.usage.completion_tokens }, { p: 26, c: 64 });
  const whole = await client.chat.completions.create({ model: 'stories', messages: story, max_tokens: 64, temperature: 0 });
  assert.equal(out.text, whole.choices[0].message.content);
});

test('8 concurrent greedy streams each equal the same request alone', async (t) => {
  const prompts = ['Tell me a story.', 'Once upon a time', 'The cat', 'Tell me about a dog.',
    'Lily went to the park.', 'A big red ball', 'Tom was sad.', 'Sing a song.'];
  const request = (content) => ({ model: 'stories', messages: [{ role: 'user', content }], max_tokens: 128, temperature: 0 });
  const alone = [];
  const aloneStarted = performance.now();
  for (const p of prompts) alone.push(await streamText(request(p)));
  const aloneMs = performance.now() - aloneStarted;
  const started = performance.now();
  const together = await Promise.all(prompts.map((p) => streamText(request(p))));
  const ms = performance.now() - started;
  together.forEach((out, i) => {
    assert.equal(out.text, alone[i].text, prompts[i]);
    assert.equal(out.finish, 'length');
    assert.equal(out.usage.completion_tokens, 128);
  });
  const rate = (millis) => ((8 * 128) / (millis / 1000)).toFixed(0);
  t.diagnostic(`8 streams x 128 tokens: one after another ${aloneMs.toFixed(0)} ms (${rate(aloneMs)} tokens/s), ` +
    `concurrent ${ms.toFixed(0)} ms (${rate(ms)} tokens/s)`);
});

test('response_format json_object gives valid JSON', async () => {
  const data = await client.chat.completions.create({
    model: 'stories', messages: story, max_tokens: 60, temperature: 0, response_format: { type: 'json_object' },
  });
  const value = JSON.parse(data.choices[0].message.content);
  assert.equal(typeof value, 'object');
  assert.ok(value !== null && !Array.isArray(value));
});

test('parameters a local model cannot honour are clear 400s', async () => {
  await assert.rejects(client.chat.completions.create({ model: 'stories', messages: story, n: 2 }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === 'n');
  await assert.rejects(client.chat.completions.create({ model: 'stories', messages: story, max_tokens: 1000 }),
    (e) => e instanceof OpenAI.BadRequestError && e.code === 'context_length_exceeded' &&
      /maximum context length is 512 tokens.*1026 tokens \(26 in the messages, 1000 in the completion\)/.test(e.message));
});

test('models list includes the local model', async () => {
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['auto', 'stories']);
});

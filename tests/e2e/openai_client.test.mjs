// End-to-end: the real `switchboard serve` binary, driven by the official `openai` npm
// client, in front of a fake OpenAI-compatible upstream that speaks the real wire format.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { BIN, startGatewayOn } from './gateway_process.mjs';
import { startUpstream, upstreamConfig } from './fake_openai_upstream.mjs';

const KEY = 'sk-e2e-team-key';
let upstream, received, gateway, baseURL;

before(async () => {
  assert.ok(BIN, 'SWITCHBOARD_BIN must name the switchboard binary');
  ({ server: upstream, received } = await startUpstream());
  gateway = await startGatewayOn(upstreamConfig(upstream.address().port, KEY));
  baseURL = `${gateway.url}/v1`;
});

after(() => {
  gateway?.stop();
  upstream?.close();
});

test('non-streaming completion through the official client', async () => {
  const client = new OpenAI({ apiKey: KEY, baseURL });
  const { data, response } = await client.chat.completions
    .create({ model: 'auto', messages: [{ role: 'user', content: 'hello gateway' }], max_tokens: 16 })
    .withResponse();
  assert.equal(data.choices[0].message.content, 'echo: hello gateway');
  assert.equal(data.choices[0].finish_reason, 'stop');
  assert.equal(data.usage.total_tokens, 8);
  assert.equal(response.headers.get('x-switchboard-target'), 'up-model');
  assert.match(response.headers.get('x-switchboard-decision'), /^dec_[0-9a-f]{24}$/);
  assert.equal(received.at(-1).model, 'up-model');
  assert.equal(received.at(-1).max_tokens, 16);
});

test('streaming completion through the official client', async () => {
  const client = new OpenAI({ apiKey: KEY, baseURL });
  const stream = await client.chat.completions.create({
    model: 'auto', messages: [{ role: 'user', content: 'stream me please' }],
    stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage = null;
  let finish = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.usage) usage = chunk.usage;
    if (chunk.choices.length) {
      text += chunk.choices[0].delta.content ?? '';
      finish = chunk.choices[0].finish_reason ?? finish;
    }
  }
  assert.equal(text, 'echo: stream me please');
  assert.equal(finish, 'stop');
  assert.ok(chunks >= 4, `expected several chunks, got ${chunks}`);
  assert.deepEqual({ p: usage.prompt_tokens, c: usage.completion_tokens }, { p: 5, c: 3 });
});

test('errors arrive as the client library expects them', async () => {
  const bad = new OpenAI({ apiKey: 'sk-wrong', baseURL, maxRetries: 0 });
  await assert.rejects(bad.chat.completions.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && e.code === 'invalid_api_key');
  const client = new OpenAI({ apiKey: KEY, baseURL, maxRetries: 0 });
  await assert.rejects(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof OpenAI.NotFoundError && e.code === 'model_not_found');
  await assert.rejects(client.chat.completions.create({ model: 'auto', messages: [] }),
    (e) => e instanceof OpenAI.BadRequestError && e.param === 'messages');
});

test('models list', async () => {
  const client = new OpenAI({ apiKey: KEY, baseURL });
  const ids = [];
  for await (const m of client.models.list()) ids.push(m.id);
  assert.deepEqual(ids, ['auto', 'up-model']);
});

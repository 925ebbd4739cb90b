// End-to-end: the real `switchboard serve` binary driven by the official Anthropic SDK
// (@anthropic-ai/sdk) through POST /v1/messages — whole, streamed and with tool use —
// answered by an OpenAI-compatible fake upstream and by the local stories model.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { BIN, startGatewayOn } from './gateway_process.mjs';
import { startUpstream, toolArguments, upstreamConfig } from './fake_openai_upstream.mjs';

const KEY = 'sk-e2e-anthropic-key';
const MODEL_PATH = path.resolve(process.env.SB_SOURCE_DIR ?? '.', '..', 'shared', 'models', 'stories260K.gguf');
const HAVE_LOCAL_MODEL = existsSync(MODEL_PATH);
let upstream, received, gateway, client;

before(async () => {
  assert.ok(BIN, 'SWITCHBOARD_BIN must name the switchboard binary');
  ({ server: upstream, received } = await startUpstream());
  const local = HAVE_LOCAL_MODEL ? `
local_models:
  - name: stories
    path: ${MODEL_PATH}
    context: 512
    parallel: 2
    threads: 2
    chat_template: llama2
` : '';
  gateway = await startGatewayOn(upstreamConfig(upstream.address().port, KEY, local));
  client = new Anthropic({ apiKey: KEY, baseURL: gateway.url, maxRetries: 0 });
});

after(() => {
  gateway?.stop();
  upstream?.close();
});

const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

test('whole message through the Anthropic SDK', async () => {
  const { data, response } = await client.messages
    .create({ model: 'auto', max_tokens: 16, system: 'Be brief.', messages: [{ role: 'user', content: 'hello gateway' }] })
    .withResponse();
  assert.equal(data.type, 'message');
  assert.equal(data.role, 'assistant');
  assert.match(data.id, /^msg_/);
  assert.deepEqual(data.content, [{ type: 'text', text: 'echo: hello gateway' }]);
  assert.equal(data.stop_reason, 'end_turn');
  assert.equal(data.usage.input_tokens, 5);
  assert.equal(data.usage.output_tokens, 3);
  assert.equal(response.headers.get('x-switchboard-target'), 'up-model');
  assert.match(response.headers.get('x-switchboard-decision'), /^dec_[0-9a-f]{24}$/);
  const sent = received.at(-1);
  assert.equal(sent.model, 'up-model');
  assert.equal(sent.max_tokens, 16);
  assert.deepEqual(sent.messages[0], { role: 'system', content: 'Be brief.' });
});

test('streamed message, event by event, through the SDK stream helper', async () => {
  const stream = client.messages.stream({ model: 'auto', max_tokens: 16, messages: [{ role: 'user', content: 'stream me please' }] });
  let text = '';
  const types = [];
  stream.on('text', (delta) => (text += delta));
  stream.on('streamEvent', (event) => types.push(event.type));
  const message = await stream.finalMessage();
  assert.equal(text, 'echo: stream me please');
  assert.deepEqual(message.content, [{ type: 'text', text: 'echo: stream me please' }]);
  assert.equal(message.stop_reason, 'end_turn');
  assert.equal(message.usage.output_tokens, 3);
  assert.equal(message.usage.input_tokens, 5);
  assert.equal(types[0], 'message_start');
  assert.equal(types.at(-1), 'message_stop');
  assert.ok(types.filter((t) => t === 'content_block_delta').length >= 3, types.join(','));
});

test('tool use round trip, whole and streamed', async () => {
  const question = [{ role: 'user', content: 'What is the weather in Oslo?' }];
  const first = await client.messages.create({ model: 'auto', max_tokens: 64, tools: [weatherTool], messages: question });
  assert.equal(first.stop_reason, 'tool_use');
  const use = first.content.find((b) => b.type === 'tool_use');
  assert.equal(use.name, 'get_weather');
  assert.deepEqual(use.input, toolArguments);
  assert.equal(received.at(-1).tools[0].function.name, 'get_weather');

  const streamed = await client.messages
    .stream({ model: 'auto', max_tokens: 64, tools: [weatherTool], tool_choice: { type: 'any' }, messages: question })
    .finalMessage();
  assert.equal(streamed.stop_reason, 'tool_use');
  const streamedUse = streamed.content.find((b) => b.type === 'tool_use');
  assert.deepEqual(streamedUse.input, toolArguments, 'input_json_delta fragments add up to the arguments');
  assert.equal(received.at(-1).tool_choice, 'required');

  const answer = await client.messages.create({
    model: 'auto', max_tokens: 64, tools: [weatherTool],
    messages: [...question, { role: 'assistant', content: first.content },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '12C and sunny' }] }],
  });
  assert.deepEqual(answer.content, [{ type: 'text', text: 'tool said: 12C and sunny' }]);
  const sent = received.at(-1);
  assert.equal(sent.messages.at(-1).role, 'tool');
  assert.equal(sent.messages.at(-1).tool_call_id, use.id);
});

test('errors arrive as the SDK expects them', async () => {
  const bad = new Anthropic({ apiKey: 'sk-wrong', baseURL: gateway.url, maxRetries: 0 });
  await assert.rejects(bad.messages.create({ model: 'auto', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.AuthenticationError && e.status === 401 && e.error?.error?.type === 'authentication_error');
  await assert.rejects(client.messages.create({ model: 'nope', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.NotFoundError && e.error?.error?.type === 'not_found_error');
  await assert.rejects(client.messages.create({ model: 'auto', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e instanceof Anthropic.BadRequestError && /max_tokens/.test(e.message));
});

test('the local stories model answers the Anthropic SDK', { skip: !HAVE_LOCAL_MODEL && 'no stories260K.gguf' }, async () => {
  const request = { model: 'stories', max_tokens: 24, temperature: 0, messages: [{ role: 'user', content: 'Tell me a story.' }] };
  const { data, response } = await client.messages.create(request).withResponse();
  assert.equal(response.headers.get('x-switchboard-target'), 'stories');
  assert.equal(data.content[0].type, 'text');
  assert.match(data.content[0].text, /[a-z]{2,} [a-z]{2,}/i, data.content[0].text);
  assert.equal(data.stop_reason, 'max_tokens');
  assert.equal(data.usage.output_tokens, 24);

  const streamed = await client.messages.stream(request).finalMessage();
  assert.equal(streamed.content[0].text, data.content[0].text, 'streamed and whole greedy answers agree');
  assert.equal(streamed.stop_reason, 'max_tokens');
  assert.equal(streamed.usage.output_tokens, 24);
});

// A minimal OpenAI-compatible upstream for the e2e tests, in the real wire format (whole
// chat.completion or chat.completion.chunk SSE ending in [DONE]). It echoes the last user
// message; when the request offers tools and the conversation does not end with a tool
// result, it calls the first tool instead, with `toolArguments`.
import http from 'node:http';

export const toolArguments = { city: 'Oslo' };

function lastUserText(body) {
  const users = body.messages.filter((m) => m.role === 'user');
  if (!users.length) return '';
  const content = users[users.length - 1].content;
  return typeof content === 'string' ? content : content.filter((p) => p.type === 'text').map((p) => p.text).join('');
}

function answerFor(body) {
  const last = body.messages[body.messages.length - 1];
  if (body.tools?.length && last.role !== 'tool') {
    const call = { id: 'call_up_1', type: 'function',
      function: { name: body.tools[0].function.name, arguments: JSON.stringify(toolArguments) } };
    return { content: null, toolCalls: [call], finish: 'tool_calls' };
  }
  const text = last.role === 'tool' ? `tool said: ${last.content}` : `echo: ${lastUserText(body)}`;
  return { content: text, toolCalls: [], finish: 'stop' };
}

// Resolves {server, received}: `received` collects every request body.
export function startUpstream() {
  const received = [];
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw);
        received.push(body);
        const answer = answerFor(body);
        const base = { id: 'chatcmpl-up', created: 1700000000, model: body.model };
        const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
        if (!body.stream) {
          const message = { role: 'assistant', content: answer.content };
          if (answer.toolCalls.length) message.tool_calls = answer.toolCalls;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...base, object: 'chat.completion',
            choices: [{ index: 0, message, finish_reason: answer.finish }], usage }));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (o) => res.write(`data: ${JSON.stringify(o)}\n\n`);
        const chunk = (delta, finish = null) => ({ ...base, object: 'chat.completion.chunk',
          choices: [{ index: 0, delta, finish_reason: finish }] });
        send(chunk({ role: 'assistant', content: '' }));
        if (answer.content) for (const word of answer.content.split(/(?= )/)) send(chunk({ content: word }));
        answer.toolCalls.forEach((call, index) => {
          send(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
          const args = call.function.arguments;  // in two fragments, as real upstreams split them
          const half = Math.floor(args.length / 2);
          for (const piece of [args.slice(0, half), args.slice(half)])
            send(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
        });
        send(chunk({}, answer.finish));
        if (body.stream_options?.include_usage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
        res.end('data: [DONE]\n\n');
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ server, received }));
  });
}

// A gateway configuration whose route `auto` and model `up-model` go to the fake upstream on
// `port`, for team key `key`; `extra` is more YAML (e.g. a local_models section).
export function upstreamConfig(port, key, extra = '') {
  return `
server:
  listen: 127.0.0.1:8080
${extra}
providers:
  - name: upstream
    kind: openai_compatible
    base_url: http://127.0.0.1:${port}/v1
    models: [up-model]
prices:
  up-model: {input: 1.0, output: 2.0}
routes:
  - model: auto
    cloud: [up-model]
teams:
  - name: e2e
    keys: [${key}]
`;
}

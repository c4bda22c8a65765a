// Two headless Chromium pages of the websocket-chat example: a message typed in one must appear
// in the other. Speaks the DevTools protocol over the `ws` package.
// Usage: node cdp-chat.mjs BROWSER_WS_URL PAGE_URL ; prints OK or what went wrong.
import WebSocket from 'ws';

const [browserUrl, pageUrl] = process.argv.slice(2);
const ws = new WebSocket(browserUrl);
let nextId = 1;
const pending = new Map();
function send(method, params = {}, sessionId) {
  const id = nextId++;
  ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
ws.on('message', (data) => {
  const msg = JSON.parse(data.toString());
  if (msg.id && pending.has(msg.id)) {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    msg.error ? p.reject(new Error(JSON.stringify(msg.error))) : p.resolve(msg.result);
  }
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function evaluate(session, expression) {
  const r = await send('Runtime.evaluate', { expression, returnByValue: true }, session);
  return r.result.value;
}
async function openPage() {
  const { targetId } = await send('Target.createTarget', { url: pageUrl });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  for (let i = 0; i < 200; i++) {
    if (await evaluate(sessionId, 'window.chatReady === true').catch(() => false)) return sessionId;
    await sleep(50);
  }
  throw new Error('the page never connected its WebSocket');
}
setTimeout(() => { console.log('TIMEOUT'); process.exit(2); }, 30000);
ws.on('open', async () => {
  try {
    const one = await openPage();
    const two = await openPage();
    await evaluate(one, "document.getElementById('msg').value = 'hello from page one'; " +
      "document.getElementById('form').requestSubmit(); true");
    for (let i = 0; i < 200; i++) {
      const text = await evaluate(two, "document.getElementById('log').innerText");
      if (text.includes('hello from page one')) {
        console.log('OK ' + JSON.stringify(text));
        process.exit(0);
      }
      await sleep(50);
    }
    console.log('page two never showed the message');
    process.exit(1);
  } catch (e) {
    console.log('error ' + e.message);
    process.exit(1);
  }
});
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });

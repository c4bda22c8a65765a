// Drives the server's WebSocket echo with the `ws` package (a client nobody here wrote).
// Usage: node ws-client.mjs ws://127.0.0.1:PORT/ws ; prints one line per check.
import WebSocket from 'ws';

const ws = new WebSocket(process.argv[2]);
const lines = [];
const expect = [];
ws.on('message', (data, isBinary) => {
  const next = expect.shift();
  next(data, isBinary);
});
ws.on('pong', (data) => { lines.push('pong ' + data.toString()); });
ws.on('close', (code, reason) => {
  lines.push('closed ' + code + ' ' + reason.toString());
  console.log(lines.join('\n'));
  process.exit(0);
});
ws.on('error', (e) => { console.log('error ' + e.message); process.exit(1); });
ws.on('open', () => {
  expect.push((d, b) => lines.push('text ' + b + ' ' + d.toString()));
  ws.send('héllo');
  expect.push((d, b) => lines.push('binary ' + b + ' ' + Buffer.from(d).toString('hex')));
  ws.send(Buffer.from([1, 2, 3, 255]));
  expect.push((d, b) => {
    lines.push('fragmented ' + b + ' ' + d.toString());
    ws.ping('p1');
    setTimeout(() => ws.close(4000, 'bye'), 50);
  });
  ws.send('frag', { fin: false });
  ws.send('men', { fin: false });
  ws.send('ted', { fin: true });
});
setTimeout(() => { console.log('timeout ' + lines.join('|')); process.exit(2); }, 20000);

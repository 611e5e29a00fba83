// The baseline of the web benchmark: the smallest Express answer, on the same Node, in its own process.
import express from 'express';

const app = express();
app.get('/', (_req, res) => {
  res.send('Hello World!');
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
// Without a parent (started by hand) it keeps serving; under the bench it ends with its parent.
process.on('disconnect', () => process.exit(0));

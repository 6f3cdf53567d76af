// A socket.io-client 4.4.1 connection driven line by line: commands on stdin, one JSON line per happening on
// stdout. Used by SocketIoClientTest; by hand: node client.js http://localhost:3000/ '{"transports":["websocket"]}'
//   watch <taskGroupId>     emits watchTaskGroup {taskGroupId} with an acknowledgement; prints {"ack": ...}
//   unwatch <taskGroupId>   emits unwatchTaskGroup, likewise
//   crew-watch <id>         emits watchTaskGroup without an acknowledgement, as crew-ui does
//   close                   disconnects and exits
// Prints {"opened": transport}, {"connected": transport}, {"upgraded": transport}, {"connect_error": message}, {"disconnected": reason}
// and {"event": name, "data": payload} for every event received.
const { io } = require('socket.io-client');
const readline = require('readline');

const url = process.argv[2];
const options = JSON.parse(process.argv[3] || '{}');
const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');

const socket = io(url, options);
// The engine opens on its first transport, then may upgrade before or after socket.io's CONNECT is answered.
socket.io.on('open', () => {
  print({ opened: socket.io.engine.transport.name });
  socket.io.engine.once('upgrade', (transport) => print({ upgraded: transport.name }));
});
socket.on('connect', () => print({ connected: socket.io.engine.transport.name }));
socket.on('connect_error', (err) => print({ connect_error: err.message }));
socket.on('disconnect', (reason) => print({ disconnected: reason }));
socket.onAny((event, data) => print({ event, data }));

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, id] = line.trim().split(/\s+/);
  if (command === 'watch' || command === 'unwatch') {
    const event = command === 'watch' ? 'watchTaskGroup' : 'unwatchTaskGroup';
    socket.emit(event, { taskGroupId: id }, (error) => print({ ack: command, id, error: error || null }));
  } else if (command === 'crew-watch') {
    socket.emit('watchTaskGroup', { taskGroupId: id });
  } else if (command === 'close') {
    socket.disconnect();
    process.exit(0);
  }
});

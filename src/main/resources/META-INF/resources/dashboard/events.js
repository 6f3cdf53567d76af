// The live event stream (Server-Sent Events, docs/operations.md) read with fetch() rather than EventSource:
// EventSource cannot send the bearer token that the service wants when authentication is on. The stream is
// reconnected with a growing delay; while it is down the caller polls instead.
import { authorization } from './api.js';

const FIRST_DELAY_MS = 1000;
const MAX_DELAY_MS = 30000;
// The service sends a heartbeat every 15 s by default: a stream silent for longer than this is dead.
const SILENCE_MS = 45000;

/**
 * Follows url until close(). onLive(): the stream is connected (the caller re-reads the state: events sent before
 * are not replayed); onEvent(name, data): one event, data parsed; onDown(reason): the stream failed, a retry is
 * scheduled.
 */
export function follow(url, { onLive, onEvent, onDown }) {
  let closed = false;
  let controller = null;
  let retry = null;
  let delay = FIRST_DELAY_MS;

  async function connect() {
    controller = new AbortController();
    let watchdog = null;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => controller.abort(), SILENCE_MS);
    };
    try {
      alive();
      const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...authorization() },
        cache: 'no-store', signal: controller.signal });
      if (!response.ok || !response.body) throw new Error(`${response.status} ${response.statusText}`);
      await read(response.body, alive, (frame) => {
        if (frame.comment === 'connected') {
          delay = FIRST_DELAY_MS;
          onLive();
        } else if (frame.event) {
          let data = null;
          try {
            data = JSON.parse(frame.data);
          } catch {
            return; // not ours
          }
          onEvent(frame.event, data);
        }
      });
      throw new Error('the stream ended');
    } catch (e) {
      if (closed) return;
      onDown(e.name === 'AbortError' ? 'no heartbeat' : e.message);
      retry = setTimeout(connect, delay);
      delay = Math.min(MAX_DELAY_MS, delay * 2);
    } finally {
      clearTimeout(watchdog);
    }
  }

  connect();
  return {
    url,
    close() {
      closed = true;
      clearTimeout(retry);
      controller?.abort();
    },
  };
}

/** Calls onFrame({event, data, comment}) for each frame of the stream, until it ends. */
async function read(body, alive, onFrame) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame = { event: null, data: [], comment: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    alive();
    buffer += value;
    const lines = buffer.split(/\r\n|\r|\n/);
    buffer = lines.pop(); // the unfinished line
    for (const line of lines) {
      if (line === '') {
        if (frame.event || frame.comment) onFrame({ ...frame, data: frame.data.join('\n') });
        frame = { event: null, data: [], comment: null };
      } else if (line.startsWith(':')) {
        frame.comment = line.slice(1).trim();
      } else {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') frame.event = text;
        else if (field === 'data') frame.data.push(text);
      }
    }
  }
}

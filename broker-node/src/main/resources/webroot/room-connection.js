// One room's WebSocket connection: reconnects with back-off and, when the node supports it,
// resumes where it left off so that no publication is missed.
//
// Sequenced sessions. The page offers the WebSocket subprotocol "roomcast.v1". A node that
// selects it sends each publication as {"seq": n, "epoch": "e", "type": "text"|"binary",
// "data": "..."} (binary data in base64), and control frames with a "type" of joined,
// recovered, reset or gap. A reconnect then requests ?since=<last seq>&epoch=<epoch>, and the node
// replays what was missed before live delivery goes on. A node that does not select the
// subprotocol sends raw frames, which are passed on as they are, and a reconnect misses what was
// sent meanwhile.

export const SEQUENCED_PROTOCOL = 'roomcast.v1';

// Reconnect back-off: the first retry waits 0.5 to 1 s, each further one twice as long, up to
// 7.5 to 15 s. Random spread keeps the clients of a failed node from returning all at once.
const BACKOFF_FIRST_MS = 1000;
const BACKOFF_MAX_MS = 15000;
// A connection counts as healthy, and resets the back-off, once it stays open this long, so a
// server that accepts and then closes at once is not hammered.
const HEALTHY_AFTER_MS = 5000;
// A handshake that has not finished by then is abandoned and retried. A node that is starting or
// overloaded can accept the TCP connection and never respond, and browsers do not give up on their own.
const HANDSHAKE_TIMEOUT_MS = 10000;

/**
 * Reports through three callbacks. onState(state, detail) gets 'connecting', 'live',
 * 'reconnecting' or 'closed'. onPublication(data) gets each publication, a string for text or an
 * ArrayBuffer for binary. onNotice(text) gets events worth a line in the message list.
 */
export class RoomConnection {
  constructor(url, { onState, onPublication, onNotice }) {
    this.url = url;
    this.onState = onState;
    this.onPublication = onPublication;
    this.onNotice = onNotice;

    this.socket = null;
    this.failedAttempts = 0;
    this.retryTimer = null;
    this.healthyTimer = null;
    this.handshakeTimer = null;
    this.stopped = false;
    this.opened = false;
    this.lostConnection = false;
    // The last publication received in sequenced mode, {seq, epoch}; null until the first joined.
    this.position = null;
    this.handleOnline = () => this.retryNow();
  }

  start() {
    window.addEventListener('online', this.handleOnline);
    this.doConnect();
  }

  /** Sends one text frame; returns false, sending nothing, unless the connection is open. */
  send(text) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    this.socket.send(text);
    return true;
  }

  /** Closes the connection with 1000 and stops reconnecting. */
  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.handleOnline);
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    clearTimeout(this.handshakeTimer);

    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      socket.close(1000, 'left the room');
    }
    this.onState('closed', { code: 1000, reason: 'left the room' });
  }

  /** Skips the back-off wait, for when the browser reports that the network is back. */
  retryNow() {
    if (this.stopped || this.socket) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.doConnect();
  }

  doConnect() {
    this.onState('connecting', { attempt: this.failedAttempts + 1 });
    this.opened = false;

    const socket = new WebSocket(this.connectUrl(), [SEQUENCED_PROTOCOL]);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;

    socket.addEventListener('open', () => this.handleOpen(socket));
    socket.addEventListener('message', (event) => this.handleMessage(socket, event));
    socket.addEventListener('close', (event) => this.handleClose(socket, event));
    // Closing a socket that is still connecting makes the browser report close code 1006.
    this.handshakeTimer = setTimeout(() => socket.close(), HANDSHAKE_TIMEOUT_MS);
  }

  connectUrl() {
    if (!this.position) {
      return this.url;
    }
    const url = new URL(this.url);
    url.searchParams.set('since', String(this.position.seq));
    url.searchParams.set('epoch', this.position.epoch);
    return url.toString();
  }

  handleOpen(socket) {
    if (socket !== this.socket) {
      return;
    }
    clearTimeout(this.handshakeTimer);
    if (this.lostConnection) {
      this.lostConnection = false;
      this.onNotice('Reconnected.');
    }
    if (socket.protocol !== SEQUENCED_PROTOCOL) {
      // A node without sequenced sessions: nothing to resume from.
      this.position = null;
    }
    this.opened = true;
    this.healthyTimer = setTimeout(() => { this.failedAttempts = 0; }, HEALTHY_AFTER_MS);
    this.onState('live', { protocol: socket.protocol || 'raw' });
  }

  handleMessage(socket, event) {
    if (socket !== this.socket) {
      return;
    }
    if (socket.protocol !== SEQUENCED_PROTOCOL) {
      this.onPublication(event.data);
      return;
    }

    let frame;
    try {
      frame = JSON.parse(event.data);
    } catch {
      frame = null;
    }
    if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') {
      console.warn('Roomcast: ignoring a sequenced frame that is not a JSON object with a type', event.data);
      return;
    }
    this.handleSequencedFrame(frame);
  }

  handleSequencedFrame(frame) {
    switch (frame.type) {
      case 'text':
      case 'binary':
        this.handleSequencedPublication(frame);
        break;
      case 'joined':
        this.position = positionOf(frame) ?? this.position;
        break;
      case 'recovered':
        this.position = positionOf(frame) ?? this.position;
        this.reportRecovery(frame.complete === true);
        break;
      case 'reset':
        this.position = positionOf(frame) ?? this.position;
        this.onNotice('The room\'s history was lost on the server, so some messages may be missing.');
        break;
      case 'gap':
        this.onNotice(`The server lost ${frame.count} message(s) of this room before they reached you.`);
        break;
      default:
        // Frame types from a newer server are skipped, so the page keeps working.
        console.info('Roomcast: ignoring sequenced frame of unknown type', frame.type);
    }
  }

  handleSequencedPublication(frame) {
    const next = positionOf(frame);
    if (!next) {
      console.warn('Roomcast: ignoring a publication without a valid seq and epoch', frame);
      return;
    }
    const position = this.position;
    if (position && position.epoch === next.epoch && next.seq <= position.seq) {
      return;
    }
    this.position = next;

    if (frame.type === 'binary') {
      this.onPublication(decodeBase64(frame.data));
    } else {
      this.onPublication(frame.data);
    }
  }

  reportRecovery(complete) {
    if (complete) {
      this.onNotice('No messages were missed while you were away.');
    } else {
      this.onNotice('Some messages sent while you were away are no longer held by the server and were missed.');
    }
  }

  handleClose(socket, event) {
    if (socket !== this.socket || this.stopped) {
      return;
    }
    this.socket = null;
    clearTimeout(this.healthyTimer);
    clearTimeout(this.handshakeTimer);

    if (this.opened) {
      this.lostConnection = true;
      this.onNotice(`Connection lost (${describeClose(event.code, event.reason)}).`);
    }

    const delayMs = backoffDelay(this.failedAttempts);
    this.failedAttempts += 1;
    this.onState('reconnecting', { code: event.code, reason: event.reason, delayMs });
    this.retryTimer = setTimeout(() => this.doConnect(), delayMs);
  }
}

/** Returns {seq, epoch} of a sequenced frame, or null when either is missing or invalid. */
function positionOf(frame) {
  if (!Number.isSafeInteger(frame.seq) || typeof frame.epoch !== 'string' || frame.epoch === '') {
    return null;
  }
  return { seq: frame.seq, epoch: frame.epoch };
}

/** Returns the wait before reconnect attempt number failedAttempts + 1, in milliseconds. */
function backoffDelay(failedAttempts) {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** failedAttempts);
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

function decodeBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

/** Returns a close code with its meaning and reason, such as "code 1006, connection dropped". */
export function describeClose(code, reason) {
  const meaning = {
    1000: 'normal closure',
    1001: 'server going away',
    1006: 'connection dropped',
    1007: 'invalid UTF-8',
    1009: 'message too big',
    1011: 'server error',
    1013: 'too slow, try again later',
  }[code];
  const parts = [`code ${code}`];
  if (meaning) {
    parts.push(meaning);
  }
  if (reason) {
    parts.push(reason);
  }
  return parts.join(', ');
}

// Roomcast chat page: joins a room over WebSocket on the node that served the page.
//
// Wire format. The page sends each message as one JSON text frame
// {"name": "...", "text": "...", "sentAt": "<ISO 8601 time>", "id": "<random hex>"}. Any other
// frame (plain text from wscat, JSON of another shape, binary) is shown as text from "unknown".
// The broker never sends a connection's own message back on that connection, so the page shows
// what it sends as soon as it sends it. A resume after a reconnect does replay the page's own
// messages, sent on the old connection, and the id lets the page skip those.
//
// Everything from the network goes into the page through textContent, never as HTML.

import { RoomConnection, describeClose } from './room-connection.js';

const MAX_NAME_LENGTH = 40;
const MAX_SHOWN_MESSAGES = 500;
const MAX_REMEMBERED_IDS = 1000;
const UNKNOWN_SENDER = 'unknown';

const ui = {
  state: document.getElementById('connection-state'),
  joinForm: document.getElementById('join-form'),
  nameInput: document.getElementById('name-input'),
  roomInput: document.getElementById('room-input'),
  joinButton: document.getElementById('join-button'),
  joinError: document.getElementById('join-error'),
  chat: document.getElementById('chat'),
  roomName: document.getElementById('room-name'),
  leaveButton: document.getElementById('leave-button'),
  messageLog: document.getElementById('message-log'),
  messages: document.getElementById('messages'),
  sendForm: document.getElementById('send-form'),
  messageInput: document.getElementById('message-input'),
};

// ---- Messages --------------------------------------------------------------------------------

/**
 * Parses one received frame into {name, text, sentAt, id}. A frame that is not a chat message JSON
 * object is shown whole as text from "unknown"; a binary frame shows as its size.
 */
function parseFrame(data) {
  if (typeof data !== 'string') {
    return { name: UNKNOWN_SENDER, text: `(binary message, ${data.byteLength} bytes)`, sentAt: null, id: null };
  }

  let value;
  try {
    value = JSON.parse(data);
  } catch {
    value = null;
  }
  const isChatMessage = value !== null && typeof value === 'object'
      && typeof value.name === 'string' && typeof value.text === 'string';
  if (!isChatMessage) {
    return { name: UNKNOWN_SENDER, text: data, sentAt: null, id: null };
  }

  const name = value.name.trim().slice(0, MAX_NAME_LENGTH) || UNKNOWN_SENDER;
  const id = typeof value.id === 'string' ? value.id : null;
  return { name, text: value.text, sentAt: parseTime(value.sentAt), id };
}

function parseTime(value) {
  if (typeof value !== 'string') {
    return null;
  }
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? null : time;
}

/** Appends one message to the list, inserting every field as text. */
function showMessage({ name, text, sentAt }, own) {
  const time = sentAt || new Date();

  const item = document.createElement('li');
  item.className = own ? 'message own' : 'message';

  const sender = document.createElement('span');
  sender.className = 'sender';
  sender.textContent = name;

  const stamp = document.createElement('time');
  stamp.dateTime = time.toISOString();
  stamp.title = time.toLocaleString();
  stamp.textContent = time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  const body = document.createElement('p');
  body.className = 'text';
  body.textContent = text;

  item.append(sender, ' ', stamp, body);
  appendToList(item);
}

/** Appends a line about the connection, such as a lost or restored connection. */
function showNotice(text) {
  const item = document.createElement('li');
  item.className = 'notice';
  item.textContent = text;
  appendToList(item);
}

function appendToList(item) {
  const log = ui.messageLog;
  const list = ui.messages;
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;

  list.append(item);
  while (list.children.length > MAX_SHOWN_MESSAGES) {
    list.firstElementChild.remove();
  }

  // Follow new messages only when the reader has not scrolled up to read older ones.
  if (atBottom || item.classList.contains('own')) {
    log.scrollTop = log.scrollHeight;
  }
}

// ---- Connection state ------------------------------------------------------------------------

function showState(state, detail) {
  ui.state.dataset.state = state;
  if (detail.protocol !== undefined) {
    ui.state.dataset.protocol = detail.protocol;
  }
  if (detail.code !== undefined) {
    ui.state.dataset.closeCode = String(detail.code);
  } else {
    delete ui.state.dataset.closeCode;
  }

  let text;
  switch (state) {
    case 'connecting':
      text = detail.attempt > 1 ? `Connecting (attempt ${detail.attempt})…` : 'Connecting…';
      break;
    case 'live':
      text = 'Live';
      break;
    case 'reconnecting':
      text = `Reconnecting in ${Math.ceil(detail.delayMs / 1000)} s (${describeClose(detail.code, detail.reason)})`;
      break;
    case 'closed':
      text = `Closed (${describeClose(detail.code, detail.reason)})`;
      break;
    default:
      text = 'Not connected';
  }
  ui.state.textContent = text;
}

// ---- Join, send, leave -----------------------------------------------------------------------

let connection = null;
let userName = '';
// Ids of the messages this page sent, oldest first, so that a replay after a resume does not
// show them twice.
const sentIds = new Set();

async function handleJoin(event) {
  event.preventDefault();
  const name = ui.nameInput.value.trim().slice(0, MAX_NAME_LENGTH);
  const room = ui.roomInput.value.trim();
  if (!name || !room) {
    showJoinError(!name ? 'Enter your name.' : 'Enter a room name.');
    (!name ? ui.nameInput : ui.roomInput).focus();
    return;
  }

  ui.joinButton.disabled = true;
  ui.joinError.hidden = true;
  try {
    const path = await fetchWebSocketPath(room);
    enterRoom(name, room, path);
  } catch (error) {
    showJoinError(error.message);
  } finally {
    ui.joinButton.disabled = false;
  }
}

/** Requests the room's WebSocket path from the node; throws an Error with a readable message. */
async function fetchWebSocketPath(room) {
  let response;
  try {
    response = await fetch(`/api/ws?room=${encodeURIComponent(room)}`, { cache: 'no-store' });
  } catch (error) {
    throw new Error(`Failed to reach the server: ${error.message}`);
  }

  const body = await response.text();
  if (!response.ok) {
    throw new Error(`The server rejected the room (HTTP ${response.status}): ${errorText(body)}`);
  }
  const path = body.trim();
  // Only a path on this host is accepted, so a response can never send the page elsewhere.
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw new Error(`The server returned an invalid WebSocket path: ${path}`);
  }
  return path;
}

function errorText(body) {
  try {
    const value = JSON.parse(body);
    if (value && typeof value.error === 'string') {
      return value.error;
    }
  } catch {
    // Not JSON: show the body as it is.
  }
  return body;
}

function showJoinError(text) {
  ui.joinError.textContent = text;
  ui.joinError.hidden = false;
}

function enterRoom(name, room, path) {
  userName = name;
  rememberChoice(name, room);

  ui.messages.replaceChildren();
  ui.roomName.textContent = room;
  ui.joinForm.hidden = true;
  ui.chat.hidden = false;
  document.title = `${room} · Roomcast chat`;

  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  connection = new RoomConnection(`${scheme}//${window.location.host}${path}`, {
    onState: showState,
    onPublication: handlePublication,
    onNotice: showNotice,
  });
  connection.start();
  ui.messageInput.focus();
}

function handlePublication(data) {
  const message = parseFrame(data);
  if (message.id !== null && sentIds.has(message.id)) {
    return;
  }
  showMessage(message, false);
}

function rememberSentId(id) {
  sentIds.add(id);
  if (sentIds.size > MAX_REMEMBERED_IDS) {
    sentIds.delete(sentIds.values().next().value);
  }
}

/** Returns 16 random bytes as hex. Unlike crypto.randomUUID, this works outside secure contexts. */
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function handleSend(event) {
  event.preventDefault();
  const text = ui.messageInput.value;
  if (!connection || text.trim() === '') {
    return;
  }

  const message = { name: userName, text, sentAt: new Date().toISOString(), id: randomId() };
  if (!connection.send(JSON.stringify(message))) {
    // The text stays in the box, so the user can send it once the connection is back.
    showNotice('Not connected: your message was not sent.');
    return;
  }
  rememberSentId(message.id);
  showMessage({ ...message, sentAt: new Date(message.sentAt) }, true);
  ui.messageInput.value = '';
}

function handleLeave() {
  if (connection) {
    connection.stop();
    connection = null;
  }
  ui.chat.hidden = true;
  ui.joinForm.hidden = false;
  document.title = 'Roomcast chat';
  ui.roomInput.focus();
}

// The name is kept in localStorage and the room in the address (?room=), so a reload or a shared
// link lands in the same place.
function rememberChoice(name, room) {
  try {
    window.localStorage.setItem('roomcast.name', name);
  } catch {
    // Storage can be disabled, and the page works without it.
  }
  const url = new URL(window.location.href);
  url.searchParams.set('room', room);
  window.history.replaceState(null, '', url);
}

function restoreChoice() {
  const params = new URLSearchParams(window.location.search);
  let name = params.get('name') || '';
  if (!name) {
    try {
      name = window.localStorage.getItem('roomcast.name') || '';
    } catch {
      name = '';
    }
  }
  ui.nameInput.value = name.slice(0, MAX_NAME_LENGTH);
  ui.roomInput.value = params.get('room') || '';
}

ui.joinForm.addEventListener('submit', handleJoin);
ui.sendForm.addEventListener('submit', handleSend);
ui.leaveButton.addEventListener('click', handleLeave);
restoreChoice();
showState('idle', {});

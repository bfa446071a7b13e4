// End-to-end tests of the chat page served by the node, in headless Chromium against a real
// two-node cluster on loopback. Run with scripts/e2e.sh, or `npm test` in this folder.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ChatUser, launchChromium } from './support/browser.mjs';
import { LocalCluster } from './support/cluster.mjs';

const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), 'artifacts');
const logDir = path.join(artifacts, 'logs');
mkdirSync(logDir, { recursive: true });

const PHONE = { width: 375, height: 667 };

let cluster;
let browser;
const users = [];

/** Opens the chat page of node number as a new user; every user is closed after the suite. */
async function openUser(node, contextOptions) {
  const user = await ChatUser.open(browser, cluster.url(node), contextOptions);
  users.push(user);
  return user;
}

function uniqueRoom(label) {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

async function assertReceived(user, sender, text) {
  const item = await user.waitForMessage(text);
  assert.equal(await item.locator('.sender').textContent(), sender);
  assert.equal(await item.locator('.text').textContent(), text);
}

function assertNoPageErrors(user) {
  assert.deepEqual(user.pageErrors, [], 'the page threw uncaught errors');
}

describe('chat page', { timeout: 600_000 }, () => {
  before(async () => {
    cluster = await LocalCluster.create(2, logDir);
    await cluster.startAll();
    browser = await launchChromium();
  });

  after(async () => {
    for (const user of users) {
      await user.close().catch(() => {});
    }
    await browser?.close();
    await cluster?.stopAll();
  });

  test('pages on two nodes exchange messages both ways', async () => {
    const room = uniqueRoom('both-ways');
    const alice = await openUser(1);
    await alice.join('alice', room);

    // Bob uses the keyboard alone: type, Tab to the next field, Enter to join and to send.
    const bob = await openUser(2);
    await bob.page.getByLabel('Your name', { exact: true }).focus();
    await bob.page.keyboard.type('bob');
    await bob.page.keyboard.press('Tab');
    await bob.page.keyboard.type(room);
    await bob.page.keyboard.press('Enter');
    await bob.waitForState('live');
    assert.equal(await bob.state().getAttribute('data-protocol'), 'roomcast.v1');
    const focused = await bob.page.evaluate(() => document.activeElement?.id);
    assert.equal(focused, 'message-input', 'joining moves the focus to the message box');

    await alice.send('hello from node 1');
    await assertReceived(bob, 'alice', 'hello from node 1');

    await bob.page.keyboard.type('hello back from node 2');
    await bob.page.keyboard.press('Enter');
    await assertReceived(alice, 'bob', 'hello back from node 2');

    await alice.send('Grüße, ¿qué tal? ✓');
    await assertReceived(bob, 'alice', 'Grüße, ¿qué tal? ✓');

    // Each page shows its own messages once, locally, and the other's once, in order.
    assert.deepEqual(await alice.messages(), [
      { sender: 'alice', text: 'hello from node 1', own: true },
      { sender: 'bob', text: 'hello back from node 2', own: false },
      { sender: 'alice', text: 'Grüße, ¿qué tal? ✓', own: true },
    ]);
    assert.deepEqual(await bob.messages(), [
      { sender: 'alice', text: 'hello from node 1', own: false },
      { sender: 'bob', text: 'hello back from node 2', own: true },
      { sender: 'alice', text: 'Grüße, ¿qué tal? ✓', own: false },
    ]);
    assert.equal(await bob.page.getByLabel('Message', { exact: true }).inputValue(), '',
        'the message box is cleared after sending');

    await bob.page.screenshot({ path: path.join(artifacts, 'chat.png') });
    assertNoPageErrors(alice);
    assertNoPageErrors(bob);
  });

  test('markup in a message shows as text', async () => {
    const room = uniqueRoom('markup');
    const markup = '<img src=x onerror=alert(1)>';
    const sender = await openUser(1);
    await sender.join('<b>mallory</b>', room);
    const reader = await openUser(2);
    await reader.join('reader', room);

    await sender.send(markup);
    await assertReceived(reader, '<b>mallory</b>', markup);

    for (const user of [sender, reader]) {
      assert.equal(await user.page.locator('img').count(), 0, 'no img element was created');
      assert.equal(await user.page.locator('#messages b').count(), 0, 'no b element was created');
      assert.deepEqual(user.dialogs, [], 'no dialog was opened');
      assertNoPageErrors(user);
    }
    const own = (await sender.messages()).at(-1);
    assert.deepEqual(own, { sender: '<b>mallory</b>', text: markup, own: true });
  });

  test('frame that is not chat JSON shows from unknown', async () => {
    const room = uniqueRoom('raw');
    const reader = await openUser(2);
    await reader.join('reader', room);

    // A second page sends raw frames itself, as wscat would: plain text, other JSON, binary.
    const raw = await openUser(1);
    const pathResponse = await raw.page.request.get(`${cluster.url(1)}/api/ws?room=${encodeURIComponent(room)}`);
    assert.equal(pathResponse.status(), 200);
    const wsPath = await pathResponse.text();
    await raw.page.evaluate(async (url) => {
      const socket = new WebSocket(url);
      await new Promise((resolve, reject) => {
        socket.onopen = resolve;
        socket.onerror = () => reject(new Error(`WebSocket to ${url} failed`));
      });
      socket.send('typed in <i>wscat</i>');
      socket.send('{"text":"json without a name"}');
      socket.send(new Uint8Array([1, 2, 3]));
    }, `ws://127.0.0.1:${cluster.node(1).httpPort}${wsPath}`);

    await assertReceived(reader, 'unknown', 'typed in <i>wscat</i>');
    await assertReceived(reader, 'unknown', '{"text":"json without a name"}');
    await assertReceived(reader, 'unknown', '(binary message, 3 bytes)');
    assert.equal(await reader.page.locator('#messages i').count(), 0, 'no i element was created');
    assertNoPageErrors(reader);
  });

  test('page fits a phone-sized screen', async () => {
    const room = uniqueRoom('phone');
    const phone = await openUser(1, { viewport: PHONE });
    await phone.join('pat', room);
    const other = await openUser(2);
    await other.join('sam', room);
    await other.send('A longer message that has to wrap on a narrow screen: '
        + 'averyveryveryverylongwordwithoutanyspacesthatmustnotwidenthepage');
    await phone.waitForMessage('A longer message that has to wrap on a narrow screen: '
        + 'averyveryveryverylongwordwithoutanyspacesthatmustnotwidenthepage');
    await phone.send('Replying from a phone');

    const layout = await phone.page.evaluate(() => {
      const box = document.getElementById('message-input').getBoundingClientRect();
      const button = document.getElementById('send-button').getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        inputBottom: box.bottom,
        buttonRight: button.right,
        viewportHeight: window.innerHeight,
      };
    });
    assert.ok(layout.scrollWidth <= layout.clientWidth,
        `page scrolls sideways: ${layout.scrollWidth} px wide in ${layout.clientWidth} px`);
    assert.ok(layout.inputBottom <= layout.viewportHeight,
        `message box ends at ${layout.inputBottom} px, below the ${layout.viewportHeight} px screen`);
    assert.ok(layout.buttonRight <= layout.clientWidth,
        `send button ends at ${layout.buttonRight} px, right of the ${layout.clientWidth} px screen`);

    await phone.page.screenshot({ path: path.join(artifacts, 'chat-phone.png') });
    assertNoPageErrors(phone);
  });

  test('page passes axe accessibility checks', async () => {
    for (const colorScheme of ['light', 'dark']) {
      const room = uniqueRoom(`axe-${colorScheme}`);
      const user = await openUser(1, { colorScheme });
      assert.deepEqual(await user.accessibilityViolations(), [], `join form, ${colorScheme} colors`);
      await user.page.screenshot({ path: path.join(artifacts, `join-${colorScheme}.png`) });

      await user.join('ada', room);
      const other = await openUser(2, { colorScheme });
      await other.join('grace', room);
      await other.send('A message from someone else');
      await user.waitForMessage('A message from someone else');
      await user.send('A message of my own');
      assert.deepEqual(await user.accessibilityViolations(), [], `room with messages, ${colorScheme} colors`);
    }
  });

  test('leave closes the connection with 1000', async () => {
    const user = await openUser(1);
    await user.join('leaver', uniqueRoom('leave'));

    await user.page.getByRole('button', { name: 'Leave', exact: true }).click();

    await user.waitForState('closed');
    assert.equal(await user.state().getAttribute('data-close-code'), '1000');
    assert.match(await user.state().textContent(), /code 1000/);
    assert.ok(await user.page.getByLabel('Room name', { exact: true }).isVisible(), 'the join form is back');
  });

  // Runs last because it kills node 2.
  test('page resumes after its node is killed', async () => {
    const room = uniqueRoom('kill');
    const survivor = await openUser(1);
    await survivor.join('survivor', room);
    const victim = await openUser(2);
    await victim.join('victim', room);
    assert.equal(await victim.state().getAttribute('data-protocol'), 'roomcast.v1',
        'the page uses sequenced sessions');

    await survivor.send('before the kill');
    await assertReceived(victim, 'survivor', 'before the kill');
    // Sent after the last publication the victim received, so a resume replays it to the victim,
    // which must not show its own message twice.
    await victim.send('victim before the kill');
    await assertReceived(survivor, 'victim', 'victim before the kill');

    await cluster.kill(2);
    await victim.waitForState('reconnecting');
    assert.equal(await victim.state().getAttribute('data-close-code'), '1006');
    assert.match(await victim.state().textContent(), /^Reconnecting in \d+ s \(code 1006/);
    await victim.page.screenshot({ path: path.join(artifacts, 'chat-reconnecting.png') });

    await survivor.send('sent while node 2 was down');

    // The page reconnects to the host it was loaded from, so node 2 comes back on the same port.
    await cluster.start(2);
    await victim.waitForState('live', 60_000);
    await assertReceived(victim, 'survivor', 'sent while node 2 was down');

    await survivor.send('after the restart');
    await assertReceived(victim, 'survivor', 'after the restart');
    await victim.send('victim is back');
    await assertReceived(survivor, 'victim', 'victim is back');

    assert.deepEqual(await victim.messages(), [
      { sender: 'survivor', text: 'before the kill', own: false },
      { sender: 'victim', text: 'victim before the kill', own: true },
      { sender: 'survivor', text: 'sent while node 2 was down', own: false },
      { sender: 'survivor', text: 'after the restart', own: false },
      { sender: 'victim', text: 'victim is back', own: true },
    ]);
    const notices = await victim.page.locator('#messages li.notice').allTextContents();
    assert.ok(notices.some((text) => text.startsWith('Connection lost (code 1006')), `notices: ${notices}`);
    assert.ok(notices.includes('Reconnected.'), `notices: ${notices}`);
    assert.ok(notices.includes('No messages were missed while you were away.'), `notices: ${notices}`);
    assertNoPageErrors(victim);
    assertNoPageErrors(survivor);
  });
});

// End-to-end test of the chat page loaded through HAProxy, in front of a two-node cluster that
// scripts/cluster.sh runs on loopback. When the node under the page dies, the page reconnects
// through HAProxy to the other node and resumes there without missing a message.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { ChatUser, launchChromium } from './support/browser.mjs';
import { ScriptCluster, haproxyAvailable } from './support/script-cluster.mjs';

const skip = (await haproxyAvailable()) ? false : 'haproxy is not installed (Debian: apt-get install haproxy)';

function chatMessage(name, text) {
  return JSON.stringify({ name, text, sentAt: new Date().toISOString() });
}

describe('chat page behind HAProxy', { skip, timeout: 600_000 }, () => {
  let cluster;
  let browser;
  let user;

  before(async () => {
    cluster = await ScriptCluster.up(2);
    browser = await launchChromium();
  });

  after(async () => {
    await user?.close().catch(() => {});
    await browser?.close();
    await cluster?.down();
  });

  test('page resumes on the other node when its node is killed', async () => {
    const room = `haproxy-${Date.now().toString(36)}`;
    user = await ChatUser.open(browser, cluster.url);
    await user.join('roamer', room);
    assert.equal(await user.state().getAttribute('data-protocol'), 'roomcast.v1');

    const home = await cluster.nodeWithConnection(2);
    const other = home === 1 ? 2 : 1;
    await cluster.publish(other, room, chatMessage('publisher', 'before the kill'));
    const first = await user.waitForMessage('before the kill');
    assert.equal(await first.locator('.sender').textContent(), 'publisher');

    await cluster.kill(home);
    await user.waitForState('reconnecting');
    await cluster.publish(other, room, chatMessage('publisher', 'sent while the node was down'));

    await user.waitForState('live', 60_000);
    const missed = await user.waitForMessage('sent while the node was down');
    assert.equal(await missed.locator('.sender').textContent(), 'publisher');
    assert.equal(await cluster.connections(other), 1, `the page is now connected to node ${other}`);

    await cluster.publish(other, room, chatMessage('publisher', 'after the reconnect'));
    await user.waitForMessage('after the reconnect');
    assert.deepEqual(await user.messages(), [
      { sender: 'publisher', text: 'before the kill', own: false },
      { sender: 'publisher', text: 'sent while the node was down', own: false },
      { sender: 'publisher', text: 'after the reconnect', own: false },
    ]);
    const notices = await user.page.locator('#messages li.notice').allTextContents();
    assert.ok(notices.includes('No messages were missed while you were away.'), `notices: ${notices}`);
    assert.deepEqual(user.pageErrors, [], 'the page threw uncaught errors');
  });
});

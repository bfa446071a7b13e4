// Launches Debian's Chromium through playwright-core and drives the chat page.

import { createRequire } from 'node:module';

import { chromium } from 'playwright-core';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium; playwright-core downloads no browser of its own. Playwright
 * gives each launch a fresh temporary user-data-dir and deletes it on close.
 */
export function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

/**
 * One person on the chat page, in a browser context of their own. It records every dialog the
 * page opens (and dismisses it), so a test can assert that none was opened.
 */
export class ChatUser {
  /** Opens the page at baseUrl in a new context; contextOptions go to browser.newContext. */
  static async open(browser, baseUrl, contextOptions = {}) {
    const context = await browser.newContext({ viewport: { width: 900, height: 640 }, ...contextOptions });
    const page = await context.newPage();
    const user = new ChatUser(context, page);
    await page.goto(`${baseUrl}/`);
    return user;
  }

  constructor(context, page) {
    this.context = context;
    this.page = page;
    this.dialogs = [];
    this.pageErrors = [];
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      dialog.dismiss().catch(() => {});
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  /** Joins room as name by pointer and keyboard, as a person would, and waits until live. */
  async join(name, room) {
    await this.page.getByLabel('Your name', { exact: true }).fill(name);
    await this.page.getByLabel('Room name', { exact: true }).fill(room);
    await this.page.getByRole('button', { name: 'Join', exact: true }).click();
    await this.waitForState('live');
  }

  /** Types text into the message box and presses Enter. */
  async send(text) {
    const box = this.page.getByLabel('Message', { exact: true });
    await box.fill(text);
    await box.press('Enter');
  }

  /** Returns the connection state element, whose data-state is connecting, live, reconnecting or closed. */
  state() {
    return this.page.locator('#connection-state');
  }

  async waitForState(state, timeout = 30_000) {
    await this.page.locator(`#connection-state[data-state="${state}"]`).waitFor({ timeout });
  }

  /** Waits for a message from someone else whose text is exactly text, and returns its item. */
  async waitForMessage(text, timeout = 20_000) {
    const item = this.page.locator('#messages li.message:not(.own)')
        .filter({ has: this.page.locator('.text').getByText(text, { exact: true }) });
    await item.first().waitFor({ timeout });
    return item.first();
  }

  /** Returns [{sender, text, own}] for every message in the list, in order. */
  messages() {
    return this.page.locator('#messages li.message').evaluateAll((items) => items.map((item) => ({
      sender: item.querySelector('.sender').textContent,
      text: item.querySelector('.text').textContent,
      own: item.classList.contains('own'),
    })));
  }

  /**
   * Runs axe-core's WCAG 2.1 A and AA rules on the page as it is now and returns the violations,
   * each as "rule (impact): selectors".
   */
  async accessibilityViolations() {
    await this.page.addScriptTag({ path: axePath });
    return this.page.evaluate(async () => {
      const results = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return results.violations.map((violation) => `${violation.id} (${violation.impact}): `
          + violation.nodes.map((node) => node.target.join(' ')).join(', '));
    });
  }

  close() {
    return this.context.close();
  }
}

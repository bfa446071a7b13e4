// Starts and stops real Roomcast nodes on loopback through scripts/run-node.sh.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runNode = path.join(repo, 'scripts', 'run-node.sh');

// The first start may build the jar with Maven, which takes longer than starting a node.
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 2_000;

/** Returns a TCP port on 127.0.0.1 that was free a moment ago, as the kernel picked it. */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls url until it returns HTTP 200; throws after timeoutMs. */
export async function waitHttpOk(url, timeoutMs, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no response yet';
  while (Date.now() < deadline) {
    if (!isAlive()) {
      throw new Error(`the node exited before ${url} returned 200 (last: ${lastProblem})`);
    }
    try {
      // A node that is still starting may accept a request and never respond.
      const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      if (response.status === 200) {
        return;
      }
      lastProblem = `HTTP ${response.status}`;
    } catch (error) {
      lastProblem = error.cause?.code ?? error.name;
    }
    await sleep(200);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${url} to return 200 (last: ${lastProblem})`);
}

/**
 * A cluster of nodes on 127.0.0.1 with a unique cluster name, so parallel runs never join each
 * other. Ports are chosen once, so a node started again after a kill comes back on the same
 * address, which is what a page loaded from that node reconnects to.
 */
export class LocalCluster {
  static async create(size, logDir) {
    const nodes = [];
    for (let index = 0; index < size; index += 1) {
      nodes.push({ index: index + 1, httpPort: await freePort(), hazelcastPort: await freePort(), process: null });
    }
    const clusterName = `e2e-${process.pid}-${Date.now().toString(36)}`;
    return new LocalCluster(nodes, clusterName, logDir);
  }

  constructor(nodes, clusterName, logDir) {
    this.nodes = nodes;
    this.clusterName = clusterName;
    this.logDir = logDir;
    this.starts = 0;
  }

  /** Returns the base URL of node number (1-based), such as http://127.0.0.1:41234. */
  url(number) {
    return `http://127.0.0.1:${this.node(number).httpPort}`;
  }

  node(number) {
    const node = this.nodes[number - 1];
    if (!node) {
      throw new Error(`no node ${number}: the cluster has ${this.nodes.length}`);
    }
    return node;
  }

  /** Starts every node in turn, each once the one before is ready, as members join one by one. */
  async startAll() {
    for (const node of this.nodes) {
      await this.start(node.index);
    }
  }

  /** Starts node number and waits until its /ready returns 200. */
  async start(number) {
    const node = this.node(number);
    if (node.process) {
      throw new Error(`node ${number} is already running (pid ${node.process.pid})`);
    }

    const members = this.nodes.map((each) => `127.0.0.1:${each.hazelcastPort}`).join(',');
    const args = [
      '--http-host', '127.0.0.1',
      '--http-port', String(node.httpPort),
      '--hz-port', String(node.hazelcastPort),
      '--members', members,
      '--cluster-name', this.clusterName,
    ];
    this.starts += 1;
    const log = createWriteStream(path.join(this.logDir, `node${number}-start${this.starts}.log`));
    await once(log, 'open');

    // run-node.sh ends in exec, so the child's pid is the node's JVM and a signal reaches it.
    const child = spawn(runNode, args, { cwd: repo, stdio: ['ignore', log, log] });
    node.process = child;
    node.exited = once(child, 'exit');
    child.once('exit', (code, signal) => {
      node.process = null;
      node.exitStatus = signal ?? `exit code ${code}`;
      log.end();
    });

    try {
      await waitHttpOk(`${this.url(number)}/ready`, READY_TIMEOUT_MS, () => node.process === child);
    } catch (error) {
      throw new Error(`node ${number} did not become ready (${node.exitStatus ?? 'still running'}; `
          + `log: ${log.path}): ${error.message}`);
    }
  }

  /** Sends SIGKILL to node number, as a crash would, and waits for it to exit. */
  async kill(number) {
    const node = this.node(number);
    if (!node.process) {
      throw new Error(`node ${number} is not running`);
    }
    node.process.kill('SIGKILL');
    await node.exited;
  }

  /** Stops every running node with SIGTERM, and with SIGKILL when one takes too long. */
  async stopAll() {
    const running = this.nodes.filter((node) => node.process);
    for (const node of running) {
      node.process.kill('SIGTERM');
    }
    await Promise.all(running.map(async (node) => {
      const timer = setTimeout(() => node.process?.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await node.exited;
      clearTimeout(timer);
    }));
  }
}

// Runs a local cluster behind HAProxy through scripts/cluster.sh, on free loopback ports.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { freePort } from './cluster.mjs';

const run = promisify(execFile);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const clusterScript = path.join(repo, 'scripts', 'cluster.sh');

const SCRIPT_TIMEOUT_MS = 300_000;

async function isPortFree(port) {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Returns the first of count consecutive ports on 127.0.0.1 that were free a moment ago. */
async function freePortRange(count) {
  for (let tries = 0; tries < 50; tries += 1) {
    const first = await freePort();
    if (first + count > 65535) {
      continue;
    }
    let free = true;
    for (let port = first + 1; port < first + count && free; port += 1) {
      free = await isPortFree(port);
    }
    if (free) {
      return first;
    }
  }
  throw new Error(`no ${count} consecutive free ports found on 127.0.0.1 after 50 tries`);
}

/** Returns whether an haproxy executable is on PATH, or named by ROOMCAST_HAPROXY. */
export async function haproxyAvailable() {
  try {
    await run(process.env.ROOMCAST_HAPROXY || 'haproxy', ['-v']);
    return true;
  } catch {
    return false;
  }
}

/** A cluster of size nodes behind HAProxy, started and stopped by scripts/cluster.sh. */
export class ScriptCluster {
  static async up(size) {
    // HAProxy's stats socket path lives under the run folder and must stay short.
    const runDir = await mkdtemp(path.join(os.tmpdir(), 'rc-e2e-'));
    const lbPort = await freePort();
    const nodePort = await freePortRange(size);
    const flags = [
      '--name', `e2e${process.pid}`,
      '--run-dir', runDir,
      '--lb-port', String(lbPort),
      '--stats-port', String(await freePort()),
      '--node-port', String(nodePort),
      '--hz-port', String(await freePortRange(size)),
      '--max-nodes', String(size),
    ];
    const cluster = new ScriptCluster(runDir, flags, lbPort, nodePort);
    await cluster.script('up', String(size), ...flags);
    return cluster;
  }

  constructor(runDir, flags, lbPort, nodePort) {
    this.runDir = runDir;
    this.flags = flags;
    this.lbPort = lbPort;
    this.nodePort = nodePort;
    this.stateDir = path.join(runDir, flags[1]);
  }

  /** Returns the URL of the load balancer, the address a browser uses. */
  get url() {
    return `http://127.0.0.1:${this.lbPort}`;
  }

  /** Returns the base URL of node number (1-based); cluster.sh gives node i port nodePort + i - 1. */
  nodeUrl(number) {
    return `http://127.0.0.1:${this.nodePort + number - 1}`;
  }

  /** Returns the number of WebSocket connections node number reports. */
  async connections(number) {
    const response = await fetch(`${this.nodeUrl(number)}/api/status`,
        { signal: AbortSignal.timeout(5_000) });
    const status = await response.json();
    return status.connections;
  }

  /** Waits until one of the first count nodes reports a connection, and returns its number. */
  async nodeWithConnection(count, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (let number = 1; number <= count; number += 1) {
        if (await this.connections(number) > 0) {
          return number;
        }
      }
      await sleep(200);
    }
    throw new Error(`no node reported a WebSocket connection within ${timeoutMs} ms`);
  }

  /** Publishes text to room through node number's HTTP API, as server-side code would. */
  async publish(number, room, text) {
    const url = `${this.nodeUrl(number)}/api/publish?room=${encodeURIComponent(room)}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: text,
      signal: AbortSignal.timeout(30_000),
    });
    if (response.status !== 202) {
      throw new Error(`POST ${url} returned HTTP ${response.status}: ${await response.text()}`);
    }
  }

  /** Sends SIGKILL to node number, as a crash would, and waits until it is gone. */
  async kill(number) {
    const pidFile = path.join(this.stateDir, 'nodes', `node${number}.pid`);
    const pid = Number((await readFile(pidFile, 'utf8')).split(' ')[0]);
    process.kill(pid, 'SIGKILL');
    // The node is not this process's child, so it is gone once /proc shows it missing or a zombie.
    for (let tries = 0; tries < 100; tries += 1) {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
      if (stat === null || stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) {
        return;
      }
      await sleep(100);
    }
    throw new Error(`node ${number} (pid ${pid}) still runs 10 s after SIGKILL`);
  }

  /** Stops every node and HAProxy, then removes the run folder. */
  async down() {
    await this.script('down', ...this.flags.slice(0, 4), '--stop-timeout', '20');
    await rm(this.runDir, { recursive: true, force: true });
  }

  async script(...args) {
    try {
      await run(clusterScript, args, { cwd: repo, timeout: SCRIPT_TIMEOUT_MS });
    } catch (error) {
      throw new Error(`scripts/cluster.sh ${args.join(' ')} failed: ${error.message}\n`
          + `${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}

// Starts `switchboard serve` on a configuration for the e2e tests and says where it listens.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = process.env.SWITCHBOARD_BIN;

// Resolves {child, url, stderr()} once the gateway prints its address; rejects if it
// exits first or takes longer than timeoutMs.
export function startGateway(configPath, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--config', configPath, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${err}`)), timeoutMs);
    child.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/[\d.]+:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited ${code}: ${err}`)));
  });
}

// Writes `yaml` as policies.yaml in a fresh temp dir and starts the gateway on it. The
// result's stop() ends the gateway and removes the dir.
export async function startGatewayOn(yaml) {
  const workdir = mkdtempSync(path.join(tmpdir(), 'sb-e2e-'));
  const configPath = path.join(workdir, 'policies.yaml');
  writeFileSync(configPath, yaml);
  const remove = () => rmSync(workdir, { recursive: true, force: true });
  try {
    const gateway = await startGateway(configPath);
    return { ...gateway, stop: () => { gateway.child.kill('SIGTERM'); remove(); } };
  } catch (e) {
    remove();
    throw e;
  }
}

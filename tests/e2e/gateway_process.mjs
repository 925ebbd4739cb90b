// Starts `switchboard serve` on a configuration for the e2e tests and says where it listens.
import { spawn } from 'node:child_process';

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

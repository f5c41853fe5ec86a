import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SandboxControl } from '../control-client.ts';
import { startSandbox, type RunningSandbox, type StartSandboxOptions } from '../index.ts';

export interface TestSandbox {
  sandbox: RunningSandbox;
  control: SandboxControl;
  dataDir: string;
  stop(): Promise<void>;
}

/** A sandbox on a free port in a fresh temporary data directory, with WeChat's timings compressed. */
export async function startTestSandbox(options: Partial<StartSandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'wechat-sandbox-test-')));
  const sandbox = await startSandbox({ port: 0, timeScale: 0.001, refundProcessingSeconds: 5, quiet: true, ...options, dataDir });
  return {
    sandbox,
    control: new SandboxControl(sandbox.url),
    dataDir,
    async stop() {
      await sandbox.stop();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

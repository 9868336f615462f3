import { defaultToolsDir, provisionTemporal, TemporalProvisioningError } from '../temporal-binaries';

export const summary = 'find or install the Temporal CLI and the time-skipping test server';

export async function run(): Promise<number> {
  try {
    const binaries = await provisionTemporal({ toolsDir: defaultToolsDir(), onProgress: (line) => console.log(line) });
    console.log(`temporal CLI:         ${binaries.cli} (${binaries.source.cli})`);
    console.log(`time-skipping server: ${binaries.testServer} (${binaries.source.testServer})`);
    return 0;
  } catch (err) {
    if (!(err instanceof TemporalProvisioningError)) throw err;
    console.error(err.message);
    return 1;
  }
}

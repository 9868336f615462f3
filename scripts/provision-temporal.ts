/** `npm run provision` (also run by `npm install`): makes the Temporal binaries available. */
import { defaultToolsDir, provisionTemporal, TemporalProvisioningError } from '../worker/temporal-binaries';

try {
  const binaries = await provisionTemporal({
    toolsDir: defaultToolsDir(),
    onProgress: (line) => console.log(line),
  });
  console.log(`temporal CLI:         ${binaries.cli} (${binaries.source.cli})`);
  console.log(`time-skipping server: ${binaries.testServer} (${binaries.source.testServer})`);
} catch (err) {
  if (err instanceof TemporalProvisioningError) {
    console.error(err.message);
    process.exitCode = 1;
  } else {
    throw err;
  }
}

// For working on the console by hand: a simulator and a gateway (build-test, or
// G2A_BUILD_DIR) with two accounts, kept running until Ctrl-C. Prints the console URL.
//   node tests/browser/dev-stack.mjs
import { startStack } from '../sdk/harness.mjs';

const stack = await startStack([['dev-sso-super-0001-aaaaaaaaaaaaaaaa', 'super'], ['dev-sso-basic-0002-bbbbbbbbbbbbbbbb', 'basic']]);
console.log(`console: ${stack.gw.base}/login (admin / sdk-test-admin), API key sk-test-key`);
process.on('SIGINT', async () => {
  await stack.stop();
  process.exit(0);
});

// Reads a vitest JSON report and prints "PASSED FAILED", where a test file that failed before its
// tests ran (a syntax error, a failing hook) counts as one failure. Exits 1 when no test ran or such
// a file broke; says how many were skipped, on stderr. Used by .ci/run and scripts/check-consumer.sh.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed')).length;
const skipped = report.numPendingTests + report.numTodoTests;
if (skipped) console.error(`${skipped} skipped`);
console.log(`${report.numPassedTests} ${report.numFailedTests + brokenFiles}`);
if (report.numTotalTests === 0 || brokenFiles > 0) process.exit(1);

/** Checks what landed in S3 against a producer report; used by `npm start`, `npm run verify` and the integration suite. */
export { checkRecord, type RecordVerdict } from './check-record';
export { formatVerifyReport } from './format';
export { readProducerReport, type SentReading } from './report-file';
export { type VerifyOptions, type VerifyReport, verifyLanding } from './verify-landing';

import path from 'node:path';

export const benchDir = __dirname;
export const resultsDir = path.join(__dirname, 'results');
export const resultsMarkdown = path.join(__dirname, 'RESULTS.md');

// Installs the VS Code used by the integration tests and the web demo (see harness.mjs).
import { installVsCode } from './harness.mjs';

installVsCode();
console.log('harness: VS Code 1.139 is ready in .vscode-test/web');

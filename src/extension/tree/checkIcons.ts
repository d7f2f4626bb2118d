// The icon of a check result, shared by the Protection, Monitoring and Account rows so one result
// looks the same everywhere.
import * as vscode from 'vscode';

export type AnyCheckResult = 'pass' | 'warn' | 'fail' | 'unknown' | 'not-verifiable' | 'info';

export const RESULT_ICONS: Record<AnyCheckResult, vscode.ThemeIcon> = {
  pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  unknown: new vscode.ThemeIcon('question'),
  'not-verifiable': new vscode.ThemeIcon('circle-slash'),
  info: new vscode.ThemeIcon('info'),
};

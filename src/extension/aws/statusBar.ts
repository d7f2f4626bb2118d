import * as vscode from 'vscode';
import type { AwsSession } from './awsSession';

/**
 * `$(cloud) dev · 111122223333 · us-east-1 +2`: the active profile, account and regions; click to
 * change the profile. It appears once AWS is first used (the Trails view, a search), so opening a
 * JSON file never makes the window call AWS.
 */
export class AwsStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cloudtrailLens.aws', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private generation = 0;

  constructor(private readonly session: AwsSession) {
    this.item.name = 'CloudTrail Lens: AWS profile';
    this.item.command = 'cloudtrailLens.selectProfile';
    this.subscriptions = [session.onDidChange(() => void this.update()), session.onDidFirstUse(() => void this.update())];
  }

  /** What the item shows (for tests and the log). */
  get text(): string {
    return this.item.text;
  }

  async update(): Promise<void> {
    if (!this.session.isUsed) return;
    const generation = ++this.generation;
    if (!this.session.enabled) {
      this.item.text = '$(cloud) AWS off';
      this.item.tooltip = 'CloudTrail Lens does not call AWS in an untrusted workspace.';
      this.item.show();
      return;
    }
    const regions = await this.session.regions();
    const profile = this.session.profile ?? 'default';
    const regionText = regions.length > 1 ? `${regions[0]} +${regions.length - 1}` : regions[0];
    this.item.text = `$(cloud) ${profile} · ${regionText}`;
    this.item.tooltip = `AWS profile ${profile}\nRegions: ${regions.join(', ')}\nClick to select another profile.`;
    this.item.show();
    const account = await this.session.accountId();
    if (generation !== this.generation) return; // a newer update is under way
    if (account) {
      this.item.text = `$(cloud) ${profile} · ${account} · ${regionText}`;
      this.item.tooltip = `AWS profile ${profile}, account ${account}\nRegions: ${regions.join(', ')}\nClick to select another profile.`;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}

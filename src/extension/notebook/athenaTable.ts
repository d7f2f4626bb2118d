// "Create Athena Table for Trail…": reads the trail bucket's folders for what to project (accounts,
// regions, the first day), shows the CREATE EXTERNAL TABLE AWS documents for CloudTrail, and creates
// it in Athena only after the user confirms; a table of that name already in the database is reused.
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { TrailSummary } from '../../core/aws/trailApi';
import { partitionDay } from '../../core/notebook/starter';
import { athenaTableDdl, athenaTableProblem } from '../../core/remote/athenaDdl';
import { bucketLayout } from '../../core/remote/athenaLayout';
import { athenaTableExists, createAthenaClient, runAthenaQuery, type AthenaTarget } from '../../core/remote/athenaRunner';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import { showError } from '../log';

export interface AthenaTableDeps {
  session: AwsSession;
  config: () => Config;
}

export type AthenaTableOutcome = 'created' | 'exists' | 'cancelled' | 'failed';

/** The trail a tree row or a caller names: an AwsTrailNode has `.trail`. */
function trailOf(target: unknown): TrailSummary | undefined {
  const t = (target as { trail?: TrailSummary } | undefined)?.trail;
  return t && typeof t.arn === 'string' && typeof t.name === 'string' ? t : undefined;
}

function accountOfArn(arn: string): string | undefined {
  return /^arn:aws[\w-]*:cloudtrail:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * The command. `options.confirmed` (for callers that already asked, and tests) skips the modal;
 * the DDL is shown either way.
 */
export async function createAthenaTable(deps: AthenaTableDeps, target?: unknown, options: { confirmed?: boolean } = {}): Promise<AthenaTableOutcome> {
  if (!deps.session.enabled) {
    void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace. Trust the workspace to create an Athena table.');
    return 'cancelled';
  }
  const trail = trailOf(target);
  if (!trail) {
    void vscode.window.showInformationMessage('Choose a trail in the Trails view and run "Create Athena Table for Trail…" from its context menu.');
    return 'cancelled';
  }
  if (!trail.s3BucketName) {
    void vscode.window.showWarningMessage(escapeControl(`Trail ${trail.name} delivers to no S3 bucket, so Athena has nothing to query.`));
    return 'cancelled';
  }
  const c = deps.config();
  const region = c.athenaRegion || trail.homeRegion;
  const athena: AthenaTarget = { workgroup: c.athenaWorkgroup, database: c.athenaDatabase, catalog: c.athenaCatalog, ...(c.athenaOutputLocation ? { outputLocation: c.athenaOutputLocation } : {}) };
  const client = createAthenaClient(deps.session.context(), region);
  const bucket = trail.s3BucketName;

  type Prepared = { ddl: string; notes: string[]; exists: boolean } | undefined;
  const prepared: Prepared = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: escapeControl(`Reading the folders of s3://${bucket}`), cancellable: true },
    async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const store = await deps.session.s3Store(bucket, trail.homeRegion);
        const layout = await bucketLayout(store, {
          bucket,
          prefix: trail.s3KeyPrefix,
          table: c.athenaTable,
          database: c.athenaDatabase,
          ownAccount: accountOfArn(trail.arn),
          fallbackRegions: trail.isMultiRegion ? await deps.session.regions() : [trail.homeRegion],
          fallbackDay: partitionDay(Date.now()),
          signal: controller.signal,
        });
        const problem = athenaTableProblem(layout.input);
        if (problem) throw new Error(problem);
        const ddl = athenaTableDdl(layout.input);
        let exists = false;
        try {
          exists = await athenaTableExists(client, athena, c.athenaTable, controller.signal);
        } catch (error) {
          if (controller.signal.aborted) return undefined;
          throw new Error(describeAwsError(error, 'GetTableMetadata', `Athena database ${c.athenaDatabase} in ${region}`, deps.session.profile).message, { cause: error });
        }
        return { ddl, notes: layout.notes, exists };
      } catch (error) {
        if (!controller.signal.aborted) {
          const message = error instanceof Error && !('$metadata' in error) ? error.message : describeAwsError(error, 'ListObjectsV2', `s3://${bucket}`, deps.session.profile).message;
          await showError(message, error);
        }
        return undefined;
      } finally {
        cancel.dispose();
      }
    },
  );
  if (!prepared) return 'cancelled';

  const shown = await vscode.workspace.openTextDocument({ language: 'sql', content: `${prepared.ddl}\n` });
  await vscode.window.showTextDocument(shown, { preview: false });
  for (const note of prepared.notes) void vscode.window.showInformationMessage(escapeControl(note));
  if (prepared.exists) {
    void vscode.window.showInformationMessage(escapeControl(`Athena already has ${c.athenaDatabase}.${c.athenaTable} (${region}); query notebooks use it as it is. The DDL beside shows what CloudTrail Lens would create.`));
    return 'exists';
  }
  if (!options.confirmed) {
    const answer = await vscode.window.showWarningMessage(
      escapeControl(`Create the table ${c.athenaDatabase}.${c.athenaTable} in Athena (${region}, workgroup ${c.athenaWorkgroup})?`),
      {
        modal: true,
        detail: escapeControl(
          `This writes to your AWS account: a table in the Glue Data Catalog (glue:CreateTable) and the statement's result in the workgroup's S3 result location. Creating it scans no data and costs nothing; queries on it cost $5 per TB scanned. The DDL is open beside.`,
        ),
      },
      'Create Table',
    );
    if (answer !== 'Create Table') return 'cancelled';
  }
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: escapeControl(`Creating ${c.athenaDatabase}.${c.athenaTable} in Athena`), cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      await runAthenaQuery(client, prepared.ddl, athena, { signal: controller.signal, onState: (state) => progress.report({ message: state }) });
      void vscode.window.showInformationMessage(escapeControl(`Created ${c.athenaDatabase}.${c.athenaTable} in Athena (${region}). Query notebook cells that run on Athena query it; filter on "timestamp" to keep scans small.`));
      return 'created' as const;
    } catch (error) {
      if (controller.signal.aborted) return 'cancelled' as const;
      await showError(escapeControl(`Could not create the Athena table: ${(error as Error).message}`), error);
      return 'failed' as const;
    } finally {
      cancel.dispose();
    }
  });
}

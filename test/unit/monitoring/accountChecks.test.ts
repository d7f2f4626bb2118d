// The account-level checks: a multi-region trail that logs every management event, and AWS Config
// recording in every region.
import * as assert from 'node:assert/strict';
import type { TrailSummary } from '../../../src/core/aws/trailApi';
import { configRecording, multiRegionCoverage } from '../../../src/core/monitoring/accountChecks';

const trail = (name: string, isMultiRegion: boolean): TrailSummary => ({ name, arn: `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`, homeRegion: 'us-east-1', isMultiRegion, isOrganizationTrail: false, logFileValidationEnabled: true });
const all = { basic: [{ readWriteType: 'All' as const, includeManagementEvents: true }], advanced: [] };
const writes = { basic: [{ readWriteType: 'WriteOnly' as const, includeManagementEvents: true }], advanced: [] };

describe('account checks', () => {
  it('passes when one multi-region trail logs read and write management events, whatever else exists', async () => {
    const check = await multiRegionCoverage([trail('regional', false), trail('stopped', true), trail('main', true)], {
      status: async (t) => ({ isLogging: t.name !== 'stopped' }),
      selectors: async () => all,
    });
    assert.deepEqual([check.result, check.evidence], ['pass', 'main is multi-region, logging, and records read and write management events.']);
  });

  it('fails with no multi-region trail, or none that logs everything, saying why for each', async () => {
    const none = await multiRegionCoverage([trail('regional', false)], { status: async () => ({ isLogging: true }), selectors: async () => all });
    assert.equal(none.result, 'fail');
    assert.match(none.evidence, /^No multi-region trail \(regional records one region each\)/);
    const partial = await multiRegionCoverage([trail('stopped', true), trail('writes', true)], { status: async (t) => ({ isLogging: t.name === 'writes' }), selectors: async () => writes });
    assert.equal(partial.result, 'fail');
    assert.match(partial.evidence, /stopped: not logging; writes: .*read management events are not recorded/);
    assert.match(partial.remedy ?? '', /--is-multi-region-trail/);
    const unread = await multiRegionCoverage([trail('main', true)], {
      status: async () => {
        throw new Error('GetTrailStatus was denied');
      },
      selectors: async () => all,
    });
    assert.deepEqual([unread.result, unread.remedy], ['unknown', undefined]);
    assert.match(unread.evidence, /main: could not read its status \(GetTrailStatus was denied\)/);
  });

  it('names the regions where Config does not record, and says when a region could not be read', async () => {
    const off = await configRecording(['us-east-1', 'eu-west-1', 'ap-south-1'], async (r) => r === 'us-east-1');
    assert.equal(off.result, 'fail');
    assert.match(off.evidence, /^Not recording in eu-west-1, ap-south-1:/);
    const on = await configRecording(['us-east-1'], async () => true);
    assert.deepEqual([on.result, on.evidence], ['pass', 'Recording in us-east-1.']);
    const unread = await configRecording(['us-east-1'], async () => {
      throw new Error('denied');
    });
    assert.equal(unread.result, 'unknown');
  });
});

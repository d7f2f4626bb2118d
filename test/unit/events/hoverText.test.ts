import * as assert from 'node:assert/strict';
import { buildEventIndex } from '../../../src/core/events/eventIndex';
import { formatEvents } from '../../../src/core/events/formatter';
import { hoverAt } from '../../../src/core/events/hoverText';
import { assumedRole, record } from '../../fixtures/records';

const records = [
  record({ eventTime: '2026-11-01T10:00:00Z', userIdentity: assumedRole('bob', 'true', '2026-11-01T08:30:00Z') }),
  record({
    eventTime: '2026-11-01T10:02:30Z',
    userIdentity: assumedRole('bob', 'true', '2026-11-01T08:30:00Z'),
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: 'StopLogging',
    readOnly: false,
    requestParameters: { name: 'arn:aws:cloudtrail:us-east-1:444455556666:trail/org-trail' },
  }),
  record({ eventTime: '2026-11-01T10:03:00Z', errorCode: 'AccessDenied', errorMessage: 'User: alice is not authorized to perform: iam:CreateUser', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', readOnly: false }),
];
const text = formatEvents(records);
const index = buildEventIndex(text);

/** The hover over the n-th occurrence of `needle` in the document. */
function hoverOver(needle: string, nth = 0): ReturnType<typeof hoverAt> {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} is not in the document`);
  return hoverAt(text, index, at + 1, { timeZone: 'Europe/Paris' });
}

describe('hover texts', () => {
  it('explains an assumed-role identity: issuer, MFA, session age, temporary key and its use', () => {
    const hover = hoverOver('"userIdentity"');
    assert.equal(hover?.kind, 'identity');
    const md = hover?.markdown ?? '';
    assert.match(md, /^\*\*Caller\*\* `AdminRole\/bob` · AssumedRole/);
    assert.match(md, /\| Session issuer \| `arn:aws:iam::111122223333:role\/AdminRole` \(Role\) \|/);
    assert.match(md, /\| MFA \| yes, the session was MFA-authenticated \|/);
    assert.match(md, /\| Session age \| 1 h 30 min at this event \(session created `2026-11-01T08:30:00Z`\) \|/);
    assert.match(md, /\*\*Access key\*\* `ASIAEXAMPLESESSION01`: temporary credentials \(ASIA\)/);
    assert.match(md, /Used by 2 events in this document, first `2026-11-01T10:00:00Z`, last `2026-11-01T10:02:30Z`\./);
  });

  it('offers to pivot, narrow, investigate and copy from the caller card', () => {
    const hover = hoverOver('"userIdentity"');
    assert.deepEqual(
      hover?.actions.map((a) => [a.kind, a.label]),
      [
        ['pivot', 'All events of this caller'],
        ['narrow', 'Only this caller here'],
        ['investigate', 'Investigate'],
        ['copy', 'Copy ARN'],
      ],
    );
    assert.deepEqual(hover?.actions[0], { kind: 'pivot', label: 'All events of this caller', filter: { kind: 'caller', key: 'arn:aws:sts::111122223333:assumed-role/AdminRole/bob', label: 'AdminRole/bob' } });
    assert.deepEqual(hover?.actions[3], { kind: 'copy', label: 'Copy ARN', value: 'arn:aws:sts::111122223333:assumed-role/AdminRole/bob' });
  });

  it('shows the caller card on the userIdentity key only, not on every line inside it', () => {
    assert.equal(hoverOver('"sessionIssuer"'), undefined);
    assert.equal(hoverOver('"mfaAuthenticated"'), undefined);
    assert.equal(hoverOver('"type": "AssumedRole"'), undefined);
    const arn = hoverOver('"arn:aws:iam::111122223333:role/AdminRole"');
    assert.equal(arn?.kind, 'arn');
    assert.doesNotMatch(arn?.markdown ?? '', /\*\*Caller\*\*/);
    assert.deepEqual(arn?.actions, [
      { kind: 'copy', label: 'Copy ARN', value: 'arn:aws:iam::111122223333:role/AdminRole' },
      // An IAM role is a resource AWS Config records: its history around the event, in the event's region.
      { kind: 'configHistory', label: 'Configuration history', arn: 'arn:aws:iam::111122223333:role/AdminRole', eventTime: '2026-11-01T10:00:00Z', region: 'us-east-1' },
    ]);
  });

  it('gives the access key its own card with its caller and actions', () => {
    const hover = hoverOver('"ASIAEXAMPLESESSION01"');
    assert.equal(hover?.kind, 'accessKey');
    assert.match(hover?.markdown ?? '', /^\*\*Access key\*\* `ASIAEXAMPLESESSION01`: temporary credentials \(ASIA\)/);
    assert.match(hover?.markdown ?? '', /Caller `AdminRole\/bob` · AssumedRole\./);
    assert.deepEqual(
      hover?.actions.map((a) => a.label),
      ['All events of this key', 'Only this key here', 'Investigate', 'Copy key id'],
    );
  });

  it('does not offer to narrow to a value every event of the document has', () => {
    const hover = hoverOver('"198.51.100.7"');
    assert.deepEqual(
      hover?.actions.map((a) => a.kind),
      ['pivot', 'investigate', 'copy'],
    );
    const error = hoverOver('"AccessDenied"');
    assert.deepEqual(
      error?.actions.map((a) => [a.kind, a.label]),
      [
        ['pivot', 'All failed calls'],
        ['narrow', 'Only failed calls here'],
        ['copy', 'Copy error code'],
      ],
    );
  });

  it('calls a long-term key long-term', () => {
    const hover = hoverOver('"AKIAEXAMPLEALICE0001"');
    assert.equal(hover?.kind, 'accessKey');
    assert.match(hover?.markdown ?? '', /`AKIAEXAMPLEALICE0001`: long-term access key \(AKIA\)/);
  });

  it('classifies the source IP with its count, first and last seen', () => {
    const hover = hoverOver('"198.51.100.7"');
    assert.equal(hover?.kind, 'source');
    assert.equal(
      hover?.markdown,
      '**Source** `198.51.100.7` · documentation IPv4\n\nThis is a documentation address (TEST-NET-2, 198.51.100.0/24), reserved for examples and never routed.\n\n3 events from this source in this document, first `2026-11-01T10:00:00Z`, last `2026-11-01T10:03:00Z`.',
    );
  });

  it('gives the time in UTC and local time, and the gap since the caller’s previous event', () => {
    const hover = hoverOver('"2026-11-01T10:02:30Z"');
    assert.equal(hover?.kind, 'time');
    const md = hover?.markdown ?? '';
    assert.match(md, /\| UTC \| `2026-11-01 10:02:30 UTC` \|/);
    assert.match(md, /\| Local \| `01\/11\/2026, 11:02:30 CET` \|/);
    assert.match(md, /2 min 30 s after this caller’s previous event here \(`DescribeInstances` at `2026-11-01T10:00:00Z`\)\./);
  });

  it('calls out StopLogging as a sensitive, mutating CloudTrail action', () => {
    const hover = hoverOver('"StopLogging"');
    assert.equal(hover?.kind, 'action');
    const md = hover?.markdown ?? '';
    assert.match(md, /^\*\*Action\*\* `StopLogging` · AWS CloudTrail \(`cloudtrail\.amazonaws\.com`\)/);
    assert.match(md, /\*\*Mutating\*\*: it can change resources or settings\./);
    assert.match(md, /⚠ \*\*Sensitive action\*\* \(defense evasion\): stops a trail from recording events/);
  });

  it('explains an error code and counts it', () => {
    const hover = hoverOver('"AccessDenied"');
    assert.equal(hover?.kind, 'error');
    const md = hover?.markdown ?? '';
    assert.match(md, /^\*\*Error\*\* `AccessDenied`\n\nThe caller was authenticated but no policy allowed the action/);
    assert.match(md, /Message: `User: alice is not authorized to perform: iam:CreateUser`/);
    assert.match(md, /1 event failed with this error in this document, 1 of them by `alice`\./);
  });

  it('decomposes an ARN and flags another account', () => {
    const hover = hoverOver('"arn:aws:cloudtrail:us-east-1:444455556666:trail/org-trail"');
    assert.equal(hover?.kind, 'arn');
    const md = hover?.markdown ?? '';
    assert.match(md, /\| Service \| `cloudtrail` \|/);
    assert.match(md, /\| Region \| `us-east-1` \|/);
    assert.match(md, /\| Resource type \| `trail` \|/);
    assert.match(md, /\| Resource \| `org-trail` \|/);
    assert.match(md, /⚠ Account `444455556666` is not the account that recorded this event \(`111122223333`\)/);
  });

  it('returns nothing outside events or over plain fields', () => {
    assert.equal(hoverAt(text, index, 2), undefined);
    assert.equal(hoverOver('"aws-cli/2.15.0"'), undefined);
  });

  it('works on a raw one-line log file as CloudTrail delivers it', () => {
    const raw = JSON.stringify({ Records: records });
    const rawIndex = buildEventIndex(raw);
    const at = raw.indexOf('StopLogging');
    assert.equal(hoverAt(raw, rawIndex, at)?.kind, 'action');
  });

  it('keeps hostile values inside their code spans and table cells', () => {
    const hostile = [
      record({
        eventTime: '2026-11-01T11:00:00Z',
        userIdentity: { type: 'IAMUser\x1b[2J [x](command:y)', arn: 'arn:aws:iam::111122223333:user/m``al | x', accountId: '111122223333', userName: 'm``al | x\u202e', principalId: 'P' },
      }),
    ];
    const doc = formatEvents(hostile);
    const md = hoverAt(doc, buildEventIndex(doc), doc.indexOf('"userIdentity"') + 1)?.markdown ?? '';
    assert.match(md, /^\*\*Caller\*\* ```m``al \\\| x\\u\{202e\}``` · IAMUser\\\\x1b\\\[2J \\\[x\\\]\(command:y\)\n/);
    assert.ok(md.includes('| User name | ```m``al \\| x\\u{202e}``` |'), md);
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    assert.doesNotMatch(md, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/u);
  });
});

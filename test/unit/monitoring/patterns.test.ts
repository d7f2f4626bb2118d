// Metric filter patterns and EventBridge event patterns, evaluated on CloudTrail records as AWS
// evaluates them: the CIS patterns catch their controls' events, near misses do not.
import * as assert from 'node:assert/strict';
import { CIS_CONTROLS } from '../../../src/core/monitoring/cisControls';
import { eventBridgeEnvelope, eventPatternMatches } from '../../../src/core/monitoring/eventPattern';
import { FilterPatternError, filterMatches, parseFilterPattern } from '../../../src/core/monitoring/filterPattern';

const stop = { eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', userName: 'mallory' }, resources: [{ ARN: 'arn:aws:cloudtrail:us-east-1:1:trail/main' }], readOnly: false, count: 3 };

describe('metric filter patterns', () => {
  it('every CIS pattern catches every sample event of its control, and a near miss does not', () => {
    for (const c of CIS_CONTROLS) {
      const p = parseFilterPattern(c.pattern);
      for (const s of c.samples) assert.ok(filterMatches(p, s), `${c.cis} misses ${JSON.stringify(s)}`);
    }
    const trail = parseFilterPattern(CIS_CONTROLS.find((c) => c.id === 'cloudtrail-changes')!.pattern);
    assert.ok(!filterMatches(trail, { ...stop, eventName: 'DescribeTrails' }));
  });

  it('evaluates comparisons, wildcards, missing fields, arrays, numbers, booleans and precedence', () => {
    const m = (pattern: string, record: unknown = stop): boolean => filterMatches(parseFilterPattern(pattern), record);
    assert.ok(m('{ $.eventName = StopLogging }'));
    assert.ok(m('{ $.eventName = "Stop*" }'));
    assert.ok(!m('{ $.eventName = "stoplogging" }'), 'values are case-sensitive');
    assert.ok(m('{ $.eventName != DeleteTrail && $.userIdentity.type = IAMUser }'));
    assert.ok(!m('{ $.errorCode != "x" }'), 'a field the event lacks matches no comparison');
    assert.ok(m('{ $.errorCode NOT EXISTS }'));
    assert.ok(m('{ $.userIdentity.invokedBy NOT EXISTS && $.userIdentity EXISTS }'));
    assert.ok(m('{ $.resources[0].ARN = "arn:aws:cloudtrail:*" }'));
    assert.ok(m('{ $.resources[*].ARN = "*trail/main" }'));
    assert.ok(m('{ $.count > 2 && $.count <= 3 }'));
    assert.ok(m('{ $.readOnly IS FALSE }'));
    assert.ok(m('{ $.eventName = DeleteTrail || $.eventName = StopLogging && $.awsRegion = "us-east-1" }'), '&& binds tighter than ||');
    assert.ok(!m('{ ($.eventName = DeleteTrail || $.eventName = StopLogging) && $.awsRegion = "eu-west-1" }'));
  });

  it('matches term patterns on the event\'s JSON text, and an empty pattern on everything', () => {
    assert.ok(filterMatches(parseFilterPattern(''), stop));
    assert.ok(filterMatches(parseFilterPattern('StopLogging mallory'), stop));
    assert.ok(!filterMatches(parseFilterPattern('StopLogging -mallory'), stop));
    assert.ok(filterMatches(parseFilterPattern('?DeleteTrail ?StopLogging'), stop));
    assert.ok(filterMatches(parseFilterPattern('"trail/main"'), stop));
  });

  it('refuses what it cannot read, saying why', () => {
    assert.throws(() => parseFilterPattern('{ $.eventName = }'), FilterPatternError);
    assert.throws(() => parseFilterPattern('{ $.eventName = "x" '), /expected "}"/);
    assert.throws(() => parseFilterPattern('{ eventName = x }'), /selector/);
    assert.throws(() => parseFilterPattern('[ip, user, ...]'), /space-delimited/);
    assert.throws(() => parseFilterPattern('{ $.a = "unclosed }'), /not closed/);
  });
});

describe('EventBridge event patterns', () => {
  const event = eventBridgeEnvelope(stop);

  it('wraps a CloudTrail record as EventBridge delivers it', () => {
    assert.equal(event.source, 'aws.cloudtrail');
    assert.equal(event['detail-type'], 'AWS API Call via CloudTrail');
    assert.equal(eventBridgeEnvelope({ eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin' })['detail-type'], 'AWS Console Sign In via CloudTrail');
  });

  it('matches values, prefixes, anything-but, exists, numbers, cidr, lists and $or', () => {
    const m = (pattern: unknown): boolean => eventPatternMatches(JSON.stringify(pattern), event);
    assert.ok(m({ source: ['aws.cloudtrail'], detail: { eventName: ['StopLogging', 'DeleteTrail'] } }));
    assert.ok(!m({ source: ['aws.cloudtrail'], detail: { eventName: ['DeleteTrail'] } }));
    assert.ok(m({ detail: { eventName: [{ prefix: 'Stop' }], userIdentity: { type: [{ 'anything-but': ['Root'] }] } } }));
    assert.ok(m({ detail: { errorCode: [{ exists: false }], eventName: [{ 'equals-ignore-case': 'stoplogging' }] } }));
    assert.ok(!m({ detail: { errorCode: [{ exists: true }] } }));
    assert.ok(m({ detail: { count: [{ numeric: ['>', 2, '<=', 3] }] } }));
    assert.ok(m({ detail: { resources: { ARN: [{ suffix: 'trail/main' }] } } }), 'a list of objects matches when any element does');
    assert.ok(eventPatternMatches(JSON.stringify({ detail: { sourceIPAddress: [{ cidr: '198.51.100.0/24' }] } }), eventBridgeEnvelope({ ...stop, sourceIPAddress: '198.51.100.7' })));
    assert.ok(m({ $or: [{ detail: { eventName: ['DeleteTrail'] } }, { detail: { eventName: ['StopLogging'] } }] }));
    assert.throws(() => eventPatternMatches('{"detail": "x"}', event), /list of matchers/);
    assert.throws(() => eventPatternMatches('not json', event), /not JSON/);
  });
});

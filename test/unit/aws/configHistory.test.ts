// AWS Config history around an event, against moto's Config: which ARNs map to which resource
// types, the items before and after the event's time, and what is said when there is no history.
import * as assert from 'node:assert/strict';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ConfigHistoryError, configAround, configItemText, configTargetOf } from '../../../src/core/aws/configHistory';
import { startConfigFront } from '../../fixtures/configFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describe('AWS Config history', () => {
  it('maps the ARNs of resources Config records to their resource types and names', () => {
    assert.deepEqual(configTargetOf('arn:aws:s3:::acme-logs'), { resourceType: 'AWS::S3::Bucket', name: 'acme-logs' });
    assert.equal(configTargetOf('arn:aws:s3:::acme-logs/AWSLogs/x.json.gz'), undefined, 'an object is not a Config resource');
    assert.deepEqual(configTargetOf('arn:aws:iam::111122223333:user/division/alice'), { resourceType: 'AWS::IAM::User', name: 'alice' });
    assert.deepEqual(configTargetOf('arn:aws:iam::111122223333:role/Admin'), { resourceType: 'AWS::IAM::Role', name: 'Admin' });
    assert.deepEqual(configTargetOf('arn:aws:ec2:us-east-1:111122223333:security-group/sg-0abc'), { resourceType: 'AWS::EC2::SecurityGroup', name: 'sg-0abc' });
    assert.deepEqual(configTargetOf('arn:aws:cloudtrail:us-east-1:111122223333:trail/main'), { resourceType: 'AWS::CloudTrail::Trail', name: 'main' });
    assert.deepEqual(configTargetOf('arn:aws:lambda:us-east-1:111122223333:function:fn:3'), { resourceType: 'AWS::Lambda::Function', name: 'fn' });
    assert.equal(configTargetOf('arn:aws:sts::111122223333:assumed-role/Admin/bob'), undefined, 'a session is not a resource');
    assert.equal(configTargetOf('not an arn'), undefined);
  });

  describe('against moto', function () {
    this.timeout(60_000);
    let moto: MotoServer;
    let client: ConfigServiceClient;
    let created: number;
    let front: Awaited<ReturnType<typeof startConfigFront>>;

    before(async () => {
      moto = await startMoto();
      const s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'config-history-bucket' }));
      created = Date.now();
      s3.destroy();
      // moto's history times are not what the SDK reads: the front rewrites them (see configFront.ts).
      front = await startConfigFront({ upstream: moto.endpoint });
      client = new ConfigServiceClient({ endpoint: front.url, region: 'us-east-1', credentials });
    });

    after(async () => {
      client?.destroy();
      await front?.close();
      await moto?.stop();
    });

    it('gives the configuration at or before the event, and says nothing was recorded after it', async () => {
      const around = await configAround(client, 'arn:aws:s3:::config-history-bucket', created + 60_000, 'us-east-1');
      assert.equal(around.resourceId, 'config-history-bucket');
      assert.equal(around.before?.resourceName, 'config-history-bucket');
      assert.equal(around.after, undefined);
      const before = JSON.parse(configItemText(around.before, 'before', '2026-12-04T00:00:00Z')) as { configuration: { name: string }; resourceType: string };
      assert.equal(before.resourceType, 'AWS::S3::Bucket');
      assert.equal(before.configuration.name, 'config-history-bucket', 'the configuration is shown as JSON, not as JSON text');
      assert.match(configItemText(around.after, 'after', '2026-12-04T00:00:00Z'), /recorded no configuration of this resource after 2026-12-04T00:00:00Z: nothing changed since/);
    });

    it('puts an item captured after the event on the after side', async () => {
      const around = await configAround(client, 'arn:aws:s3:::config-history-bucket', created - 3_600_000, 'us-east-1');
      assert.equal(around.before, undefined);
      assert.equal(around.after?.resourceName, 'config-history-bucket');
    });

    it('shows a change: the item before the event and the first one after it', async () => {
      const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::config-history-bucket/*' }] };
      front.options.extraItems = {
        'config-history-bucket': [
          { resourceType: 'AWS::S3::Bucket', resourceId: 'config-history-bucket', resourceName: 'config-history-bucket', configurationItemStatus: 'OK', configurationItemCaptureTime: (created + 600_000) / 1000, configuration: JSON.stringify({ name: 'config-history-bucket' }), supplementaryConfiguration: { BucketPolicy: JSON.stringify({ policyText: JSON.stringify(policy) }) } },
        ],
      };
      try {
        const around = await configAround(client, 'arn:aws:s3:::config-history-bucket', created + 300_000, 'us-east-1');
        assert.equal(around.before?.configurationItemStatus, 'ResourceDiscovered');
        assert.equal(around.after?.configurationItemStatus, 'OK');
        const after = JSON.parse(configItemText(around.after, 'after', 'x')) as { supplementaryConfiguration: { BucketPolicy: { policyText: typeof policy } } };
        assert.deepEqual(after.supplementaryConfiguration.BucketPolicy.policyText, policy, 'JSON text inside JSON text is shown as JSON');
      } finally {
        front.options.extraItems = undefined;
      }
    });

    it('says Config is off when no recorder records, and that it does not record the resource when one does', async () => {
      await assert.rejects(configAround(client, 'arn:aws:s3:::no-such-bucket', created, 'us-east-1'), (e: unknown) => e instanceof ConfigHistoryError && e.reason === 'config-off' && /not recording in us-east-1/.test(e.message));
      await client.send(new PutConfigurationRecorderCommand({ ConfigurationRecorder: { name: 'default', roleARN: 'arn:aws:iam::123456789012:role/config', recordingGroup: { allSupported: true } } }));
      await client.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'config-history-bucket' } }));
      await client.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
      await assert.rejects(configAround(client, 'arn:aws:s3:::no-such-bucket', created, 'us-east-1'), (e: unknown) => e instanceof ConfigHistoryError && e.reason === 'not-recorded' && /has no history of arn:aws:s3:::no-such-bucket in us-east-1/.test(e.message));
      await assert.rejects(configAround(client, 'arn:aws:sts::1:assumed-role/a/b', created, 'us-east-1'), (e: unknown) => e instanceof ConfigHistoryError && e.reason === 'unsupported');
    });
  });
});

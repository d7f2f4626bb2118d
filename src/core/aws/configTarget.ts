// Which AWS Config resource an ARN names (no SDK here: hovers ask this for every ARN).
import { parseArn } from '../events/arn';

/** Which Config resource type an ARN names, and the name Config lists it by. */
export interface ConfigTarget {
  resourceType: string;
  /** The resource's name or id as the ARN gives it (Config's own id may differ: IAM's is AIDA…). */
  name: string;
}

/** ARN resource types (per service) and the Config resource types they are. */
const TYPES: Record<string, Record<string, string>> = {
  iam: { user: 'AWS::IAM::User', role: 'AWS::IAM::Role', group: 'AWS::IAM::Group', policy: 'AWS::IAM::Policy' },
  ec2: {
    instance: 'AWS::EC2::Instance',
    'security-group': 'AWS::EC2::SecurityGroup',
    vpc: 'AWS::EC2::VPC',
    subnet: 'AWS::EC2::Subnet',
    volume: 'AWS::EC2::Volume',
    'network-acl': 'AWS::EC2::NetworkAcl',
    'route-table': 'AWS::EC2::RouteTable',
    'internet-gateway': 'AWS::EC2::InternetGateway',
    'network-interface': 'AWS::EC2::NetworkInterface',
  },
  cloudtrail: { trail: 'AWS::CloudTrail::Trail' },
  kms: { key: 'AWS::KMS::Key' },
  lambda: { function: 'AWS::Lambda::Function' },
  rds: { db: 'AWS::RDS::DBInstance', cluster: 'AWS::RDS::DBCluster' },
};

/** The Config resource an ARN names, or undefined for a type this does not map (or not an ARN). */
export function configTargetOf(arn: string): ConfigTarget | undefined {
  const a = parseArn(arn);
  if (!a) return undefined;
  if (a.service === 's3') return a.resource.includes('/') ? undefined : { resourceType: 'AWS::S3::Bucket', name: a.resource };
  if (a.service === 'sns' && !a.resourceType) return { resourceType: 'AWS::SNS::Topic', name: arn };
  if (a.service === 'sqs' && !a.resourceType) return { resourceType: 'AWS::SQS::Queue', name: a.resource };
  const type = a.resourceType ? TYPES[a.service]?.[a.resourceType] : undefined;
  if (!type) return undefined;
  // IAM names may carry a path (user/division/alice): Config lists the last segment.
  const name = a.service === 'iam' ? a.resourceId.split('/').pop()! : a.resourceId.split(':')[0];
  return { resourceType: type, name };
}


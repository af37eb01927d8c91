import { Duration, type RemovalPolicy, Validations } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from "aws-cdk-lib/aws-dynamodb";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import {
  EVENTS_TABLE,
  SUBSCRIBERS_TABLE,
  TABLE_KEYS,
  type TableSpec,
  TTL_ATTRIBUTE,
} from "../../shared/adapters/dynamodb/table-schema";

export interface DataProps {
  /** Applied to the table, both buckets and the token secret (a destroyed bucket must be emptied first). */
  readonly removalPolicy: RemovalPolicy;
}

/** What eventcast keeps: the two tables, the rendered feeds, the access logs, and the key of subscribers' links. */
export class Data extends Construct {
  /** Events, series, slugs and announcements; its stream drives feeds, pages and announcements. */
  readonly table: Table;
  /** Subscribers, request counters and the delivery ledger: people, apart from what is published. */
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
  readonly accessLogBucket: Bucket;
  /** Signs the confirm, manage and unsubscribe links: a plain random string, no JSON. */
  readonly tokenSecret: Secret;

  constructor(scope: Construct, id: string, props: DataProps) {
    super(scope, id);

    this.table = this.createTable("Table", EVENTS_TABLE, props.removalPolicy);
    this.subscribersTable = this.createTable("SubscribersTable", SUBSCRIBERS_TABLE, props.removalPolicy);

    this.accessLogBucket = new Bucket(this, "AccessLogBucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront standard logging still delivers through bucket ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: props.removalPolicy,
    });

    this.feedBucket = new Bucket(this, "FeedBucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: this.accessLogBucket,
      serverAccessLogsPrefix: "s3-feeds/",
      removalPolicy: props.removalPolicy,
    });

    this.tokenSecret = new Secret(this, "TokenSecret", {
      description: "eventcast: HMAC key of the confirm, manage and unsubscribe links in mails",
      // 64 letters and digits: about 380 bits, and safe in any encoding.
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Replacing it would break every link in every mail already sent: it lives as long as the table.
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.tokenSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotation would invalidate every unsubscribe and manage link in mails already sent (RFC 8058 expects them to keep working); if it ever leaks, replace it by hand and accept that old links stop working.",
    });
  }

  private createTable(id: string, spec: TableSpec, removalPolicy: RemovalPolicy): Table {
    const table = new Table(this, id, {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      // The feed publisher needs both images to notice an event leaving the feeds.
      ...(spec.stream ? { stream: StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TTL_ATTRIBUTE,
      removalPolicy,
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}

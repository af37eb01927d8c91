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
  /** Applied to the tables, both buckets and the secrets (a destroyed bucket must be emptied first). */
  readonly removalPolicy: RemovalPolicy;
}

/** What eventcast keeps: the two tables, the rendered feeds, the access logs, and the keys of subscribers' links and ids. */
export class Data extends Construct {
  /** Events, series, slugs and announcements; its stream drives feeds, pages and announcements. */
  readonly table: Table;
  /** Subscribers, request counters and the delivery ledger: people, apart from what is published. */
  readonly subscribersTable: Table;
  readonly feedBucket: Bucket;
  readonly accessLogBucket: Bucket;
  /** The keyring that signs confirm, manage and unsubscribe links (JSON, rotatable by hand). */
  readonly linkKeys: Secret;
  /** The key of subscriber ids and IP hashes: a plain random string, never rotated. */
  readonly pseudonymKey: Secret;
  /** What CloudFront adds to each API request, so the API can refuse requests that skipped it. */
  readonly originSecret: Secret;

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

    this.linkKeys = new Secret(this, "LinkKeys", {
      description:
        'eventcast: keyring of the confirm, manage and unsubscribe links in mails, {"current": id, id: key, …}',
      // {"current":"k1","k1":"<64 letters and digits>"}: about 380 bits, safe in any encoding.
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ current: "k1" }),
        generateStringKey: "k1",
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.linkKeys).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotated by hand as a keyring (README: add a key, make it current, drop the old one once its links may break): an automatic rotation would drop keys whose unsubscribe links RFC 8058 expects to keep working.",
    });

    this.pseudonymKey = new Secret(this, "PseudonymKey", {
      description:
        "eventcast: key of subscriber ids and IP hashes (keyed hashes of addresses); never rotated",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Replacing it would give every address a new id: it lives as long as the subscribers table.
      removalPolicy: props.removalPolicy,
    });
    this.originSecret = new Secret(this, "OriginSecret", {
      description: "eventcast: the x-origin-verify value CloudFront adds to API requests",
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.originSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "To rotate: put a new value, redeploy (CloudFront reads it through a dynamic reference), then force a cold start of the public API.",
    });
    Validations.of(this.pseudonymKey).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Subscriber ids are keyed hashes of addresses: a new key would orphan every subscriber record, so this key is never rotated (README).",
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

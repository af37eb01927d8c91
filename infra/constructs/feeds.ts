import { Duration, Validations } from "aws-cdk-lib";
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from "aws-cdk-lib/aws-cloudfront";
import { HttpOrigin, S3BucketOrigin } from "aws-cdk-lib/aws-cloudfront-origins";
import type { IBucket } from "aws-cdk-lib/aws-s3";
import { Construct } from "constructs";

export interface FeedsProps {
  readonly feedBucket: IBucket;
  readonly accessLogBucket: IBucket;
  /** Host name of the HTTP API that answers /api/*. */
  readonly apiDomainName: string;
}

/** The public front door: static feeds from the private bucket, and /api/* passed to the HTTP API. */
export class Feeds extends Construct {
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: FeedsProps) {
    super(scope, id);

    // Feeds are rewritten on change and carry Cache-Control: max-age=60; CloudFront honours it.
    const feedCachePolicy = new CachePolicy(this, "FeedCachePolicy", {
      comment: "eventcast feeds: short TTL, revalidated by ETag",
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(60),
      maxTtl: Duration.minutes(5),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    // Transport security on every answer, feeds and API alike.
    const transportSecurity = {
      strictTransportSecurity: {
        accessControlMaxAge: Duration.days(365),
        includeSubdomains: true,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    };
    const feedHeaders = new ResponseHeadersPolicy(this, "SecurityHeaders", {
      comment: "eventcast: security headers and CORS on the feeds",
      // Feeds are public data: any site may fetch feed.json from the browser.
      corsBehavior: {
        accessControlAllowCredentials: false,
        accessControlAllowHeaders: ["*"],
        accessControlAllowMethods: ["GET", "HEAD"],
        accessControlAllowOrigins: ["*"],
        originOverride: true,
      },
      securityHeadersBehavior: {
        ...transportSecurity,
        referrerPolicy: {
          referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        // Feeds and JSON are data, never documents that load anything.
        contentSecurityPolicy: {
          contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
          override: true,
        },
      },
    });

    // The API sets its own Content-Security-Policy and Referrer-Policy (its pages post forms and
    // carry tokens in their URLs), so CloudFront adds transport headers without overriding those.
    const apiHeaders = new ResponseHeadersPolicy(this, "ApiSecurityHeaders", {
      comment: "eventcast: transport security headers on API answers",
      securityHeadersBehavior: transportSecurity,
    });

    this.distribution = new Distribution(this, "Distribution", {
      comment: "eventcast feeds and API",
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableLogging: true,
      logBucket: props.accessLogBucket,
      logFilePrefix: "cloudfront/",
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(props.feedBucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: feedCachePolicy,
        responseHeadersPolicy: feedHeaders,
        compress: true,
      },
      additionalBehaviors: {
        "/api/*": {
          origin: new HttpOrigin(props.apiDomainName, { protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY }),
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // API Gateway routes by its own Host header, so the viewer's must not reach it.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: apiHeaders,
        },
      },
    });
    Validations.of(this.distribution).acknowledge(
      {
        id: "AwsSolutions-CFR1",
        reason: "The feeds and the public API are meant for readers in every country.",
      },
      {
        id: "AwsSolutions-CFR2",
        reason:
          "WAF is out of scope for now: feeds are static files and the API is throttled per stage; attach a web ACL if abuse shows up.",
      },
      {
        id: "AwsSolutions-CFR4",
        reason:
          "No custom domain yet: the default *.cloudfront.net certificate cannot pin a minimum TLS version; set one with a domain and ACM certificate.",
      },
    );
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}

/**
 * The materialized views as deployed by the migrations (20261128054032_create_the_shop_views.snapshot.json).
 * Written by `srmv generate` and `srmv types`: do not edit, regenerate with `srmv types`.
 *
 * defineSchema({...}) compares the schema module with it at compile time: a change to an
 * immutable attribute of a deployed MV is a type error until the MV says .rebuild('swap') or
 * .rebuild('drop-create'), or gets a new name. The query is recorded as a hash only: TypeScript
 * cannot read a sql fragment, so query changes are found by `srmv generate`, not by the compiler.
 */
export {}

declare global {
  interface StarRocksMvDeployed {
    "analytics.daily_sales_mv": {
      readonly name: "daily_sales_mv"
      readonly schema: "analytics"
      readonly written: {
        readonly sync?: undefined
        readonly columns?: undefined
        readonly comment?: ""
        readonly partitionBy: readonly ["order_date" | { readonly columnName: "order_date" }]
        readonly distribution: readonly ["hash", "order_date" | { readonly columnName: "order_date" } | readonly ["order_date" | { readonly columnName: "order_date" }]]
        readonly buckets: 8
        readonly orderBy?: undefined
        readonly properties: {
          readonly "replication_num": 1
          readonly "storage_medium"?: "HDD"
          readonly "storage_cooldown_time"?: never
          readonly "storage_volume"?: never
          readonly "partition_ttl"?: never
          readonly "query_rewrite_consistency"?: never
          readonly "force_external_table_query_rewrite"?: never
          readonly "enable_query_rewrite"?: never
          readonly "transparent_mv_rewrite_mode"?: never
          readonly "partition_retention_condition"?: never
          readonly "refresh_mode"?: never
          readonly "warehouse"?: never
          readonly "replicated_storage"?: true
        }
      }
      readonly sync: "async"
      readonly columns: "none"
      readonly comment: "none"
      readonly partitionBy: "(order_date)"
      readonly distribution: "HASH(order_date)"
      readonly buckets: "8"
      readonly orderBy: "none"
      readonly properties: {
        readonly "replication_num": "1"
      }
      readonly queryHash: "sha256:06f194f5da43fd997244e6667a2d172e9c0d39822f713e1eb5173a9a81339878"
    }
    "analytics.user_order_counts": {
      readonly name: "user_order_counts"
      readonly schema: "analytics"
      readonly written: {
        readonly sync?: undefined
        readonly columns?: undefined
        readonly comment?: ""
        readonly partitionBy?: undefined
        readonly distribution?: readonly ["random"]
        readonly buckets?: undefined
        readonly orderBy?: undefined
        readonly properties?: {
          readonly "replication_num"?: 3
          readonly "storage_medium"?: "HDD"
          readonly "storage_cooldown_time"?: never
          readonly "storage_volume"?: never
          readonly "partition_ttl"?: never
          readonly "query_rewrite_consistency"?: never
          readonly "force_external_table_query_rewrite"?: never
          readonly "enable_query_rewrite"?: never
          readonly "transparent_mv_rewrite_mode"?: never
          readonly "partition_retention_condition"?: never
          readonly "refresh_mode"?: never
          readonly "warehouse"?: never
          readonly "replicated_storage"?: true
        }
      }
      readonly sync: "async"
      readonly columns: "none"
      readonly comment: "none"
      readonly partitionBy: "none"
      readonly distribution: "RANDOM"
      readonly buckets: "auto"
      readonly orderBy: "none"
      readonly properties: {}
      readonly queryHash: "sha256:6cffad2c828a39c61db8a6d9a6fdb4508b893385fad0312911c9d7d0ffd4a1d2"
    }
    "analytics.user_stats_mv": {
      readonly name: "user_stats_mv"
      readonly schema: "analytics"
      readonly written: {
        readonly sync?: undefined
        readonly columns?: undefined
        readonly comment: "User order statistics"
        readonly partitionBy: readonly [{ readonly toSQL: unknown }]
        readonly distribution: readonly ["hash", "user_id" | { readonly columnName: "user_id" } | readonly ["user_id" | { readonly columnName: "user_id" }]]
        readonly buckets: 10
        readonly orderBy?: undefined
        readonly properties?: {
          readonly "replication_num"?: 3
          readonly "storage_medium"?: "HDD"
          readonly "storage_cooldown_time"?: never
          readonly "storage_volume"?: never
          readonly "partition_ttl"?: never
          readonly "query_rewrite_consistency"?: never
          readonly "force_external_table_query_rewrite"?: never
          readonly "enable_query_rewrite"?: never
          readonly "transparent_mv_rewrite_mode"?: never
          readonly "partition_retention_condition"?: never
          readonly "refresh_mode"?: never
          readonly "warehouse"?: never
          readonly "replicated_storage"?: true
        }
      }
      readonly sync: "async"
      readonly columns: "none"
      readonly comment: "'User order statistics'"
      readonly partitionBy: "(date_trunc ( \"day\" , order_date ))"
      readonly distribution: "HASH(user_id)"
      readonly buckets: "10"
      readonly orderBy: "none"
      readonly properties: {}
      readonly queryHash: "sha256:2bed08317959d80f41e3d3673886aacc42349b10cce57ddb6947aea2f15e1616"
    }
  }
}

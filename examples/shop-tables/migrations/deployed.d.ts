/**
 * The materialized views as deployed by the migrations (20261204190209_add_the_order_channel.snapshot.json).
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
    "sales.daily_sales_mv": {
      readonly name: "daily_sales_mv"
      readonly schema: "sales"
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
      readonly queryHash: "sha256:87565447608daa042418bbd652b317afa918edc85dded86a74aaf9145d971fd2"
    }
    "sales.user_order_counts": {
      readonly name: "user_order_counts"
      readonly schema: "sales"
      readonly written: {
        readonly sync?: undefined
        readonly columns?: undefined
        readonly comment?: ""
        readonly partitionBy?: undefined
        readonly distribution?: readonly ["random"]
        readonly buckets?: undefined
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
      readonly partitionBy: "none"
      readonly distribution: "RANDOM"
      readonly buckets: "auto"
      readonly orderBy: "none"
      readonly properties: {
        readonly "replication_num": "1"
      }
      readonly queryHash: "sha256:0b40ce7821239fa3b8ab52824e5446a5eed5478a9fd2061ebe36faf020f32719"
    }
    "sales.user_stats_mv": {
      readonly name: "user_stats_mv"
      readonly schema: "sales"
      readonly written: {
        readonly sync?: undefined
        readonly columns?: undefined
        readonly comment: "User order statistics"
        readonly partitionBy: readonly [{ readonly toSQL: unknown }]
        readonly distribution: readonly ["hash", "user_id" | { readonly columnName: "user_id" } | readonly ["user_id" | { readonly columnName: "user_id" }]]
        readonly buckets: 10
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
      readonly comment: "'User order statistics'"
      readonly partitionBy: "(date_trunc ( \"day\" , order_date ))"
      readonly distribution: "HASH(user_id)"
      readonly buckets: "10"
      readonly orderBy: "none"
      readonly properties: {
        readonly "replication_num": "1"
      }
      readonly queryHash: "sha256:486537962bb2ea154bf0bb573f852ebb70ba53beb06956a34fa7c37f45f0d2a4"
    }
  }
}

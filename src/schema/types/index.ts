export type { Refusal } from './refusal.js'
export type { IntervalInput, IntervalString, IntervalUnitName } from './interval.js'
export type { StartTime, StartTimeString } from './start-time.js'
export type {
  AlterableProperties,
  AlterablePropertyName,
  AlterPropertyEscapeHatch,
  BooleanText,
  CreateOnlyPropertyMessage,
  CreateOnlyPropertyName,
  MvProperties,
  NumberText,
  PropertyEscapeHatch,
  PropertyValue,
  SessionPropertyName,
  SessionPropertyValue,
} from './properties.js'
export type {
  AsyncRefreshOptions,
  CheckedColumns,
  ColumnFieldMessage,
  ColumnRef,
  CompleteDistributedByChain,
  DistributedByChain,
  DistributionOptions,
  IncompleteMvMessage,
  IndexOptions,
  KnownProperties,
  ManualRefreshOptions,
  MaterializedView,
  MvBuilder,
  MvChain,
  MvColumnInput,
  MvKind,
  NewMvBuilder,
  RefreshChain,
  SyncDistributedByChain,
  SyncDistributionMessage,
  SyncRefreshChain,
  SyncRefreshMessage,
  UnknownPropertyMessage,
} from './mv-builder.js'
export type {
  ColumnsAttr,
  CommentAttr,
  HashAttr,
  InitialMvState,
  MvState,
  OrderByAttr,
  PartitionByAttr,
  PropertiesAttr,
  RandomAttr,
  RebuildAttr,
  RenamedFromAttr,
  SchemaAttr,
  SyncAttr,
} from './mv-state.js'
export type { DeployedChangeMessage, DeployedChecked, DeployedConflict, DeployedMaterializedViews, DeployedMv, DeployedWaysOut, DeployedWritten } from './deployed.js'
export type * from './alter-refusals.js'
export type { AddColumnOptions, AlterAsyncRefreshOptions, AlterManualRefreshOptions, AlterOptions, AlterRefreshChain, MvAlter, MvAlter42, MvAlterFor, VersionAtLeast42 } from './alter-builder.js'
export type {
  ColumnDefaultInput,
  ColumnInput,
  ColumnSpec,
  ColumnTypes,
  DateTruncUnit,
  ListPartitionInput,
  ManagedTableOptions,
  UnmanagedTableOptions,
  RangePartitionInput,
  StarRocksType,
  TableDistributionInput,
  TableIndexInput,
  TablePartitionInput,
  TableProperties,
} from './table-options.js'
export type { AlterableTableProperties, AlterTableKeyMessage, AlterTablePartitionMessage, CreateOnlyTablePropertyMessage, TableAlter } from './table-alter.js'

// The Wasm core's exports. Each concern lives in its own file; this file
// only re-exports, so the export list (checked by tests/wasm-interface) is
// visible in one place.

export { alloc, free, pendingAllocation, clearPendingAllocation } from "./memory";
export { xxh64 } from "./xxh64";
export { xxh3_64, xxh3_128, xxh3_128_high } from "./xxh3";
export {
  internerNew, internerFree, internerLookup, internerIntern, internerInternMany,
  internerDelete, internerDeleteId, internerBytesPtr, internerBytesLength,
  internerCount, internerIdLimit, internerCapacity,
} from "./interner";
export {
  tableNew, tableFree, tableSet, tableGet, tableDelete, tableCount,
  tableCapacity, tableClear, tableDump,
} from "./table";

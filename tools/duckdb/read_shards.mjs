// Reads a dataset's shards with DuckDB: row count, column names and types, and a full read of every value.
import { DuckDBInstance } from '@duckdb/node-api';

const dir = process.argv[2];
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
const glob = `${dir}/shards/*.parquet`;
const described = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)).getRowObjectsJson();
const count = (await c.runAndReadAll(`SELECT count(*)::BIGINT AS n FROM read_parquet('${glob}')`)).getRowObjectsJson()[0].n;
const kv = (await c.runAndReadAll(`SELECT decode(key) AS k FROM parquet_kv_metadata('${glob}')`)).getRowObjectsJson().map(r => r.k);
const started = performance.now();
const bytes = (await c.runAndReadAll(`SELECT sum(octet_length("left".bytes) + coalesce(octet_length("right".bytes), 0)
  + coalesce(octet_length(depth.bytes), 0) + coalesce(octet_length(expert.bytes), 0))::BIGINT AS b,
  sum(frame_index + fx + list_sum(pose))::DOUBLE AS checksum FROM read_parquet('${glob}')`)).getRowObjectsJson()[0];
const seconds = (performance.now() - started) / 1000;
// pose is a Parquet list; every row must hold 12 values, so it casts to DuckDB's fixed-size FLOAT[12].
const pose = (await c.runAndReadAll(`SELECT min(len(pose))::INTEGER AS min_len, max(len(pose))::INTEGER AS max_len,
  any_value(typeof(pose::FLOAT[12])) AS as_array FROM read_parquet('${glob}')`)).getRowObjectsJson()[0];
console.log(JSON.stringify({ rows: Number(count), columns: described.map(r => ({ name: r.column_name, type: r.column_type })),
  kv, image_bytes: Number(bytes.b), full_read_seconds: seconds,
  pose: { min_len: pose.min_len, max_len: pose.max_len, as_array: pose.as_array } }));

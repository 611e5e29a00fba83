// Who may do what in the database: migrations run as the schema's owner, the app as a role that
// can read and write rows but never rewrite history (no TRUNCATE, no trigger switching, no DDL).
import pg from 'pg';

export const OWNER_ROLE = 'troika_owner';
export const APP_ROLE = 'troika_app';

/** Tables whose rows are never changed once written: the app role may only add and read them. */
const APPEND_ONLY_TABLES = ['engagement_events'];
/** Tables the app role has no business with at all. */
const PRIVATE_TABLES = ['mikro_orm_migrations'];

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  // A server that goes away mid-call is reported by the query's rejection; the event is not fatal.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates (or re-keys) a login role without any power beyond its own objects. */
export async function ensureLoginRole(superuser: pg.Client, role: string, password: string): Promise<void> {
  const found = await superuser.query('select 1 from pg_roles where rolname = $1', [role]);
  const verb = found.rowCount ? 'alter' : 'create';
  await superuser.query(`${verb} role ${ident(role)} with login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${literal(password)}`);
}

/** The database exists and belongs to the owner role, and so do the objects in it (older clusters made them as superuser). */
export async function ensureOwnedDatabase(superuser: pg.Client, databaseUrlFor: (db: string) => string, name: string, owner: string): Promise<void> {
  const found = await superuser.query<{ owner: string }>('select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [name]);
  if (!found.rowCount) await superuser.query(`create database ${ident(name)} owner ${ident(owner)}`);
  else if (found.rows[0]!.owner !== owner) await superuser.query(`alter database ${ident(name)} owner to ${ident(owner)}`);
  await withClient(databaseUrlFor(name), async (db) => {
    await db.query(`alter schema public owner to ${ident(owner)}`);
    const objects = await db.query<{ kind: string; name: string }>(
      `select case c.relkind when 'S' then 'sequence' when 'v' then 'view' else 'table' end as kind, c.relname as name
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'S', 'v') and pg_get_userbyid(c.relowner) <> $1
          and not (c.relkind = 'S' and exists (select 1 from pg_depend d where d.objid = c.oid and d.deptype in ('a', 'i')))`,
      [owner],
    );
    for (const o of objects.rows) await db.query(`alter ${o.kind} ${ident(o.name)} owner to ${ident(owner)}`);
    const functions = await db.query<{ signature: string }>(
      `select p.oid::regprocedure::text as signature from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public' and pg_get_userbyid(p.proowner) <> $1`,
      [owner],
    );
    for (const f of functions.rows) await db.query(`alter function ${f.signature} owner to ${ident(owner)}`);
  });
}

/**
 * Run by the owner after every migration: the app role may read and write rows, add to the event
 * log but not change or empty it, use sequences, and nothing else. Re-run at each start, so
 * tables added by a migration are covered.
 */
export async function grantAppRole(owner: pg.Client, appRole: string): Promise<void> {
  const app = ident(appRole);
  await owner.query(`grant usage on schema public to ${app}`);
  await owner.query(`grant select, insert, update, delete on all tables in schema public to ${app}`);
  await owner.query(`grant usage, select on all sequences in schema public to ${app}`);
  for (const table of APPEND_ONLY_TABLES) await owner.query(`revoke update, delete, truncate on ${ident(table)} from ${app}`);
  const present = await owner.query<{ name: string }>('select tablename as name from pg_tables where schemaname = $1 and tablename = any($2)', ['public', PRIVATE_TABLES]);
  for (const t of present.rows) await owner.query(`revoke all on ${ident(t.name)} from ${app}`);
}

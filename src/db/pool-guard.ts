// Gives the pool back a connection the server ended while a transaction held it.
//
// Kysely (under MikroORM 7) releases a transaction's connection only after its COMMIT or ROLLBACK
// succeeds. When PostgreSQL goes away mid-transaction both fail, the connection is never released,
// and pg's pool counts it as busy for ever: every database restart under load took connections
// away until requests could only wait. A checked-out client whose connection has ended can do
// nothing more, so it is released here (and removed by the pool) and any later release is a no-op.
import type pg from 'pg';

type PooledClient = pg.PoolClient & { release: (error?: Error | boolean) => void };

export function releaseClientsWhoseConnectionEnded(pool: pg.Pool): void {
  const checkedOut = new Set<PooledClient>();
  pool.on('acquire', (client) => checkedOut.add(client as PooledClient));
  pool.on('release', (_error, client) => checkedOut.delete(client as PooledClient));
  pool.on('remove', (client) => checkedOut.delete(client as PooledClient));
  pool.on('connect', (client) => {
    const pooled = client as PooledClient;
    pooled.once('end', () => {
      if (!checkedOut.has(pooled)) return;
      checkedOut.delete(pooled);
      const release = pooled.release;
      pooled.release = () => {};
      release(new Error('the server ended this connection'));
    });
  });
}

-- orderflow's roles and database, least privilege. Run once per cluster as the postgres superuser,
-- with the three passwords in the environment (never on a command line: `ps` shows those):
--   ORDERFLOW_OWNER_PASSWORD=… ORDERFLOW_APP_PASSWORD=… ORDERFLOW_READ_PASSWORD=… \
--     runuser -u postgres -- psql -f /usr/share/orderflow/postgres-setup.sql
-- (`deploy/install.sh database` does this, reading the passwords from files or stdin.)
-- Idempotent: existing roles get the new passwords, an existing database is kept.
--
--   orderflow_owner  owns the schema; used by `orderflow migrate` (orderflow-migrate.service) only
--   orderflow_app    the worker, the notifier, prune and customers erase: reads and writes rows, no DDL
--   orderflow_read   `orderflow status`, `rejects list|show`, `orders show|search`, `emails list`, reports: reads rows only
\set ON_ERROR_STOP on
\getenv owner_password ORDERFLOW_OWNER_PASSWORD
\getenv app_password ORDERFLOW_APP_PASSWORD
\getenv read_password ORDERFLOW_READ_PASSWORD
\if :{?owner_password}
\else
  \warn 'ORDERFLOW_OWNER_PASSWORD is not set'
  SELECT 1/0 AS missing_password;
\endif
\if :{?app_password}
\else
  \warn 'ORDERFLOW_APP_PASSWORD is not set'
  SELECT 1/0 AS missing_password;
\endif
\if :{?read_password}
\else
  \warn 'ORDERFLOW_READ_PASSWORD is not set'
  SELECT 1/0 AS missing_password;
\endif

SELECT format('CREATE ROLE %I LOGIN', name)
FROM unnest(ARRAY['orderflow_owner', 'orderflow_app', 'orderflow_read']) AS name
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) \gexec
SELECT format('ALTER ROLE orderflow_owner LOGIN PASSWORD %L', :'owner_password') \gexec
SELECT format('ALTER ROLE orderflow_app LOGIN PASSWORD %L', :'app_password') \gexec
SELECT format('ALTER ROLE orderflow_read LOGIN PASSWORD %L', :'read_password') \gexec
-- A runaway query must not hold locks forever; the worker's batches take milliseconds.
ALTER ROLE orderflow_app SET statement_timeout = '60s';
ALTER ROLE orderflow_app SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE orderflow_read SET statement_timeout = '30s';
ALTER ROLE orderflow_read SET default_transaction_read_only = on;

SELECT 'CREATE DATABASE orderflow OWNER orderflow_owner ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'orderflow') \gexec
REVOKE ALL ON DATABASE orderflow FROM PUBLIC;
GRANT CONNECT, CREATE, TEMPORARY ON DATABASE orderflow TO orderflow_owner;
GRANT CONNECT ON DATABASE orderflow TO orderflow_app, orderflow_read;

\connect orderflow
-- Only the owner creates objects. What it creates later (tables of a new migration, a schema of
-- its own) is readable and writable by the app and readable by the read role, without a grant
-- in every migration.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO orderflow_owner;
GRANT USAGE ON SCHEMA public TO orderflow_app, orderflow_read;
ALTER DEFAULT PRIVILEGES FOR ROLE orderflow_owner GRANT USAGE ON SCHEMAS TO orderflow_app, orderflow_read;
ALTER DEFAULT PRIVILEGES FOR ROLE orderflow_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO orderflow_app;
ALTER DEFAULT PRIVILEGES FOR ROLE orderflow_owner GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO orderflow_app;
ALTER DEFAULT PRIVILEGES FOR ROLE orderflow_owner GRANT SELECT ON TABLES TO orderflow_read;
ALTER DEFAULT PRIVILEGES FOR ROLE orderflow_owner GRANT SELECT ON SEQUENCES TO orderflow_read;
-- Tables that exist already (a second run, an upgrade).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO orderflow_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO orderflow_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO orderflow_read;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO orderflow_read;

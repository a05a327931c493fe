-- The orderflow role and database. Run once as the postgres superuser:
--   sudo -u postgres psql -v password="$(cat /etc/orderflow/db-password)" -f /usr/local/share/orderflow/postgres-setup.sql
-- Idempotent: an existing role gets the new password, an existing database is kept.
-- The schema itself comes from `orderflow migrate` (orderflow-migrate.service), run as this role.
\set ON_ERROR_STOP on

SELECT format('CREATE ROLE orderflow LOGIN PASSWORD %L', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'orderflow') \gexec
SELECT format('ALTER ROLE orderflow LOGIN PASSWORD %L', :'password') \gexec
-- A runaway query must not hold locks forever; the worker's batches take milliseconds.
ALTER ROLE orderflow SET statement_timeout = '60s';
ALTER ROLE orderflow SET idle_in_transaction_session_timeout = '60s';

SELECT 'CREATE DATABASE orderflow OWNER orderflow ENCODING ''UTF8'' TEMPLATE template0'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'orderflow') \gexec
REVOKE ALL ON DATABASE orderflow FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE orderflow TO orderflow;

\connect orderflow
-- Nobody else creates objects in the public schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO orderflow;

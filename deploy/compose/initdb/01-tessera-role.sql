-- Run once by the postgres image on an empty data directory (docker-entrypoint-initdb.d).
-- Tessera connects as a role of its own, never as superuser (docs/database-roles.md, ADR 0019).
CREATE ROLE tessera LOGIN NOSUPERUSER NOCREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD 'tessera';
CREATE DATABASE tessera OWNER tessera;

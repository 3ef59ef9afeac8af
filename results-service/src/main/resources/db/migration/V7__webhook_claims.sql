-- Which replica holds a delivery's claim (host and process), for operators and for the failover test.
ALTER TABLE webhook_deliveries ADD COLUMN claimed_by TEXT;

-- A task can be cancelled (terminal, not failed), and an attempt can end cancelled or timed out. New enum values
-- cannot be used in the transaction that adds them, so they come alone, before the migration that uses them.
ALTER TYPE task_state ADD VALUE 'cancelled';
ALTER TYPE attempt_outcome ADD VALUE 'cancelled';
ALTER TYPE attempt_outcome ADD VALUE 'timed_out';

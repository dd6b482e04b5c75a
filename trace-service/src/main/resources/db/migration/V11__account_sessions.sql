-- When a user's console sessions were last ended (sign-out, new password, disabling): a session
-- cookie issued before this moment opens nothing, on any instance.
alter table app_user add column sessions_ended_at timestamp with time zone;

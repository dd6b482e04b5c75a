-- Marker passwords are stored encrypted (storage.SealedSecrets): 'v1:' and the base64 of a nonce and
-- the ciphertext, longer than the password itself. Passwords that older versions stored in the clear
-- are marked 'plain:' here and encrypted when the service starts (marking.MarkerSecrets), which holds
-- the key; nothing else reads a marked value.
alter table line_marker alter column mqtt_password set data type varchar(1000);
alter table line_marker alter column mqtt_trust_store_password set data type varchar(1000);
update line_marker set mqtt_password = 'plain:' || mqtt_password where mqtt_password is not null;
update line_marker set mqtt_trust_store_password = 'plain:' || mqtt_trust_store_password
    where mqtt_trust_store_password is not null;

-- A WebSocket ticket belongs to a login (a refresh-token family), not to an agenda session.
alter table ws_tickets rename column session_id to login_id;

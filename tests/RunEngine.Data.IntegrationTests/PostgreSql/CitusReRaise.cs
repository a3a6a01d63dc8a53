namespace RunEngine.Data.IntegrationTests.PostgreSql;

/// <summary>
/// Emulates on plain PostgreSQL how Citus re-raises a shard's key error: BEFORE INSERT triggers on the stories and
/// cards tables that, where a shard would reject the row, raise SQLSTATE <c>XX000</c> with the shard's message and
/// detail (the names carry a shard id, there is no constraint field), before PostgreSQL's own checks. A story titled
/// <see cref="UnexplainedTitle"/> raises an <c>XX000</c> that is no key error. Each raise counts in a sequence (not
/// transactional, so a rolled-back raise still counts).
/// </summary>
internal static class CitusReRaise
{
    /// <summary>The title of a story whose insert raises an XX000 that no key explains.</summary>
    public const string UnexplainedTitle = "re-test-unexplained";

    /// <summary>The sequence counting raises.</summary>
    public const string RaisedSequence = "re_test_citus_raised";

    /// <summary>The statements that install the triggers (idempotent).</summary>
    public const string InstallSql = """
        CREATE SEQUENCE IF NOT EXISTS re_test_citus_raised;
        CREATE OR REPLACE FUNCTION re_test_citus_stories() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.title = 're-test-unexplained' THEN
                PERFORM nextval('re_test_citus_raised');
                RAISE EXCEPTION 'failed to complete COPY on localhost:9701' USING ERRCODE = 'XX000';
            END IF;
            IF EXISTS (SELECT 1 FROM re_stories WHERE run_id = NEW.run_id AND id = NEW.id) THEN
                PERFORM nextval('re_test_citus_raised');
                RAISE EXCEPTION 'duplicate key value violates unique constraint "re_stories_pk_102008"' USING ERRCODE = 'XX000',
                    DETAIL = format('Key (run_id, id)=(%s, %s) already exists.', NEW.run_id, NEW.id);
            END IF;
            IF EXISTS (SELECT 1 FROM re_stories WHERE run_id = NEW.run_id AND position = NEW.position) THEN
                PERFORM nextval('re_test_citus_raised');
                RAISE EXCEPTION 'duplicate key value violates unique constraint "re_stories_run_position_uq_102008"' USING ERRCODE = 'XX000',
                    DETAIL = format('Key (run_id, "position")=(%s, %s) already exists.', NEW.run_id, NEW.position);
            END IF;
            RETURN NEW;
        END $$;
        CREATE OR REPLACE FUNCTION re_test_citus_cards() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM re_stories WHERE run_id = NEW.run_id AND id = NEW.story_id) THEN
                PERFORM nextval('re_test_citus_raised');
                RAISE EXCEPTION 'insert or update on table "re_cards_102040" violates foreign key constraint "re_cards_run_story_fk_102040"' USING ERRCODE = 'XX000',
                    DETAIL = format('Key (run_id, story_id)=(%s, %s) is not present in table "re_stories_102008".', NEW.run_id, NEW.story_id);
            END IF;
            RETURN NEW;
        END $$;
        DROP TRIGGER IF EXISTS re_test_citus ON re_stories;
        CREATE TRIGGER re_test_citus BEFORE INSERT ON re_stories FOR EACH ROW EXECUTE FUNCTION re_test_citus_stories();
        DROP TRIGGER IF EXISTS re_test_citus ON re_cards;
        CREATE TRIGGER re_test_citus BEFORE INSERT ON re_cards FOR EACH ROW EXECUTE FUNCTION re_test_citus_cards();
        """;
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parapet.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ReplayCache : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "used_jtis",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_used_jtis", x => x.Key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_used_jtis_ExpiresAt",
                table: "used_jtis",
                column: "ExpiresAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "used_jtis");
        }
    }
}
